namespace LeakLab.Core.Inspections;

/// <summary>
/// S06: callbacks piling up on a long-lived <c>CancellationTokenSource</c>: linked sources and registrations that are
/// never disposed. Keyed on the runtime's structure: <c>CancellationTokenSource._registrations</c> → <c>Callbacks</c>,
/// a list of <c>CallbackNode</c>s linked by <c>Next</c>, whose length grows.
/// </summary>
internal sealed class TokenSourceInspection : IInspection
{
    private const int MinTracked = 8;
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 1000;
    private const int MaxChain = 10_000_000;

    public string Scenario => "S06";
    public string Name => "token-source-registrations";

    public void Run(InspectionContext context)
    {
        if (!context.HasFieldNames)
        {
            context.Note(this, "registrations are found through CancellationTokenSource._registrations: this needs field names (a dump)");
            return;
        }
        HeapAnalysis last = context.Last.Analysis;
        foreach (var (key, series, node) in context.Track(Sources, MinTracked))
        {
            bool fires = context.IsSeries ? SeriesGrowth.Grows(series, MinGrowth) : series[^1] >= MinOneSnapshot;
            if (!fires || InspectionContext.PathOf(last, node) is not { } path)
                continue;
            context.Claim(path.RootName);
            var evidence = new List<string>
            {
                $"{last.Graph.NodeTypeName(node)} has {SeriesGrowth.Text(series)} registered callbacks",
                $"path: {InspectionContext.Describe(path)} → ._registrations → .Callbacks CallbackNode (→ .Next …)",
                $"callbacks hold: {string.Join(", ", Targets(last.Graph, node))}",
                $"the source retains {ByteSize.Format(last.Dominators.RetainedSize(node))} ({Quantity.Count(last.Dominators.RetainedCount(node))} objects)",
            };
            if (context.Last.Tables?.CancellationSources.FirstOrDefault(s => s.Address == last.Graph.Address(node)) is { } row)
                evidence.Add($"the source is {(row.Canceled ? "cancelled" : "not cancelled")} and {(row.Disposed ? "disposed" : "not disposed")}: its callbacks wait for a cancellation that may never come");
            if (!context.IsSeries)
                evidence.Add(InspectionContext.OneSnapshotCaveat);
            context.Add(new Finding(Scenario, $"Token source {path.RootName} collects callbacks that are never unregistered", new FindingRoot("token source", path.RootName), evidence,
                context.Score(series), "Dispose linked CancellationTokenSources and CancellationTokenRegistrations (using) when the operation ends.", Name)
            { Counts = series, RetainedBytes = last.Dominators.RetainedSize(node) });
        }
    }

    private static IEnumerable<(int Node, long Count)> Sources(HeapAnalysis analysis)
    {
        HeapGraph graph = analysis.Graph;
        bool[] sources = InspectionContext.Types(graph, t => t.StartsWith("System.Threading.CancellationTokenSource", StringComparison.Ordinal)
            && !t.EndsWith("+Registrations", StringComparison.Ordinal) && !t.EndsWith("+CallbackNode", StringComparison.Ordinal));
        foreach (int v in InspectionContext.Nodes(analysis, sources))
        {
            long count = Callbacks(graph, v).Count();
            if (count > 0)
                yield return (v, count);
        }
    }

    private static IEnumerable<int> Callbacks(HeapGraph graph, int source)
    {
        int registrations = InspectionContext.Child(graph, source, "_registrations");
        int n = 0;
        for (int node = registrations < 0 ? -1 : InspectionContext.Child(graph, registrations, "Callbacks"); node >= 0 && n++ < MaxChain; node = InspectionContext.Child(graph, node, "Next"))
            yield return node;
    }

    private static IEnumerable<string> Targets(HeapGraph graph, int source)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (int node in Callbacks(graph, source).Take(10_000))
        {
            int state = InspectionContext.Child(graph, node, "CallbackState");
            int callback = InspectionContext.Child(graph, node, "Callback");
            int target = state >= 0 ? state : callback >= 0 ? InspectionContext.Child(graph, callback, "_target") : -1;
            if (target >= 0)
                types[graph.NodeTypeName(target)] = types.GetValueOrDefault(graph.NodeTypeName(target)) + 1;
        }
        return types.OrderByDescending(t => t.Value).Take(3).Select(t => $"{t.Key} ×{Quantity.Count(t.Value)}");
    }
}
