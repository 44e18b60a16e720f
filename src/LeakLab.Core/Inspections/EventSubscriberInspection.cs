namespace LeakLab.Core.Inspections;

/// <summary>
/// S02: subscribers that never unsubscribe. Keyed on the runtime's multicast delegate: a delegate whose
/// <c>_invocationList</c> grows, held by a static field or a long-lived publisher; the field holding it is the event.
/// </summary>
internal sealed class EventSubscriberInspection : IInspection
{
    private const int MinTracked = 8;
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 1000;

    public string Scenario => "S02";
    public string Name => "event-subscribers";

    public void Run(InspectionContext context)
    {
        if (!context.HasFieldNames)
        {
            context.Note(this, "event subscribers are found through the delegate's _invocationList field: this needs field names (a dump)");
            return;
        }
        HeapAnalysis last = context.Last.Analysis;
        foreach (var (key, series, node) in context.Track(Delegates, MinTracked))
        {
            bool fires = context.IsSeries ? SeriesGrowth.Grows(series, MinGrowth) : series[^1] >= MinOneSnapshot;
            if (!fires || InspectionContext.PathOf(last, node) is not { } path)
                continue;
            string eventName = path.Steps.Count > 1 && path.Steps[^1].Field is { } field ? $"{path.RootName} → {path.Steps[^2].Type}.{field}" : path.RootName;
            context.Claim(path.RootName);
            var evidence = new List<string>
            {
                $"event {eventName} ({last.Graph.NodeTypeName(node)}) has {SeriesGrowth.Text(series)} subscribers",
                $"path: {InspectionContext.Describe(path)} → ._invocationList Object[] → [] delegate → ._target subscriber",
                $"subscriber types: {string.Join(", ", Subscribers(last.Graph, node))}",
                $"the delegate retains {ByteSize.Format(last.Dominators.RetainedSize(node))} ({Quantity.Count(last.Dominators.RetainedCount(node))} objects)",
            };
            if (!context.IsSeries)
                evidence.Add(InspectionContext.OneSnapshotCaveat);
            context.Add(new Finding(Scenario, $"Event {eventName} keeps every subscriber", new FindingRoot("event", eventName), evidence,
                context.Score(series), "Unsubscribe (-=) when the subscriber is done, e.g. in its Dispose, or use a weak event pattern.", Name)
            { Counts = series, RetainedBytes = last.Dominators.RetainedSize(node) });
        }
    }

    private static IEnumerable<(int Node, long Count)> Delegates(HeapAnalysis analysis)
    {
        HeapGraph graph = analysis.Graph;
        for (int v = 0; v < graph.NodeCount; v++)
        {
            if (!analysis.Paths.IsReachable(v))
                continue;
            int list = InspectionContext.Child(graph, v, "_invocationList");
            if (list >= 0 && graph.NodeTypeName(list).EndsWith("[]", StringComparison.Ordinal))
                yield return (v, graph.Children(list).Length);
        }
    }

    private static IEnumerable<string> Subscribers(HeapGraph graph, int del)
    {
        int list = InspectionContext.Child(graph, del, "_invocationList");
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (int handler in graph.Children(list))
        {
            int target = InspectionContext.Child(graph, handler, "_target");
            if (target >= 0)
                types[graph.NodeTypeName(target)] = types.GetValueOrDefault(graph.NodeTypeName(target)) + 1;
        }
        return types.OrderByDescending(t => t.Value).Take(3).Select(t => $"{t.Key} ×{Quantity.Count(t.Value)}");
    }
}
