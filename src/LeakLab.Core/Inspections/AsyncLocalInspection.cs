namespace LeakLab.Core.Inspections;

/// <summary>
/// S14: AsyncLocal values carried along forever. Keyed on the runtime's <c>ExecutionContext</c>: captured contexts
/// that carry AsyncLocal values (<c>m_localValues</c>) and grow in number, held by timers, threads or pending tasks;
/// the value map names the AsyncLocal (its static field) and the values it keeps.
/// </summary>
internal sealed class AsyncLocalInspection : IInspection
{
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 5000;

    public string Scenario => "S14";
    public string Name => "async-local";

    public void Run(InspectionContext context)
    {
        if (!context.HasFieldNames)
        {
            context.Note(this, "AsyncLocal values are found through ExecutionContext.m_localValues: this needs field names (a dump)");
            return;
        }
        long[] contexts = context.Series(s => Contexts(s.Analysis).Count());
        bool fires = context.IsSeries ? SeriesGrowth.Grows(contexts, MinGrowth) : contexts[^1] >= MinOneSnapshot;
        if (!fires)
            return;

        HeapAnalysis last = context.Last.Analysis;
        HeapGraph graph = last.Graph;
        int[] nodes = [.. Contexts(last)];
        IReadOnlyList<RetentionPath> holders = last.Paths.GroupedPaths(nodes, 2);
        foreach (RetentionPath holder in holders)
            context.Claim(holder.RootName);

        // The value maps hold AsyncLocal keys and their values: the key's own root names the AsyncLocal.
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        string? local = null;
        long retained = 0;
        foreach (int ec in nodes)
        {
            int map = InspectionContext.Child(graph, ec, "m_localValues");
            foreach (int child in graph.Children(map).ToArray().Concat(ArrayItems(graph, map)))
            {
                string type = graph.NodeTypeName(child);
                if (type.StartsWith("System.Threading.AsyncLocal<", StringComparison.Ordinal))
                {
                    local ??= last.Paths.RootOf(child) is { Kind: RootKind.StaticField } r ? r.Name : type;
                    continue;
                }
                if (type.EndsWith("[]", StringComparison.Ordinal) || type.StartsWith("System.Collections.", StringComparison.Ordinal))
                    continue;
                values[type] = values.GetValueOrDefault(type) + 1;
                retained += last.Dominators.RetainedSize(child);
            }
        }
        var evidence = new List<string>
        {
            $"execution contexts carrying AsyncLocal values: {SeriesGrowth.Text(contexts)}",
            $"the AsyncLocal: {local ?? "(not found)"}; values kept: {string.Join(", ", values.OrderByDescending(v => v.Value).Take(3).Select(v => $"{v.Key} ×{Quantity.Count(v.Value)}"))}",
        };
        foreach (RetentionPath holder in holders)
            evidence.Add($"captured by: {InspectionContext.Describe(holder)} ({Quantity.Count(holder.Count)} contexts) → .m_localValues → value");
        evidence.Add($"the values retain {ByteSize.Format(retained)}");
        if (!context.IsSeries)
            evidence.Add(InspectionContext.OneSnapshotCaveat);
        context.Add(new Finding(Scenario, $"AsyncLocal {local ?? "values"} captured into long-lived work", new FindingRoot("async local", local ?? "ExecutionContext.m_localValues"), evidence,
            context.Score(contexts), "Clear the AsyncLocal before starting long-lived or fire-and-forget work, or start it under ExecutionContext.SuppressFlow().", Name)
        { Counts = contexts, RetainedBytes = retained });
    }

    private static IEnumerable<int> Contexts(HeapAnalysis analysis)
    {
        HeapGraph graph = analysis.Graph;
        bool[] types = InspectionContext.Types(graph, t => t == "System.Threading.ExecutionContext");
        foreach (int v in InspectionContext.Nodes(analysis, types))
        {
            if (InspectionContext.Child(graph, v, "m_localValues") >= 0)
                yield return v;
        }
    }

    // Maps with many values keep them in an array (or a dictionary's entries): look one level down.
    private static IEnumerable<int> ArrayItems(HeapGraph graph, int map)
    {
        foreach (int child in graph.Children(map).ToArray())
        {
            string type = graph.NodeTypeName(child);
            if (type.EndsWith("[]", StringComparison.Ordinal) || type.StartsWith("System.Collections.", StringComparison.Ordinal))
            {
                foreach (int item in graph.Children(child).ToArray())
                    yield return item;
            }
        }
    }
}
