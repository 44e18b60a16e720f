namespace LeakLab.Core.Inspections;

/// <summary>
/// S03: closures kept by a task that never completes. Keyed on the runtime's <c>Task.m_continuationObject</c>: one task
/// whose list of continuations grows; each continuation's delegate <c>._target</c> is a compiler-generated closure, and
/// its fields are the captured variables.
/// </summary>
internal sealed class TaskContinuationInspection : IInspection
{
    private const int MinTracked = 8;
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 1000;

    public string Scenario => "S03";
    public string Name => "task-continuations";

    public void Run(InspectionContext context)
    {
        if (!context.HasFieldNames)
        {
            context.Note(this, "continuations are found through Task.m_continuationObject: this needs field names (a dump)");
            return;
        }
        HeapAnalysis last = context.Last.Analysis;
        foreach (var (key, series, node) in context.Track(Tasks, MinTracked))
        {
            bool fires = context.IsSeries ? SeriesGrowth.Grows(series, MinGrowth) : series[^1] >= MinOneSnapshot;
            if (!fires || InspectionContext.PathOf(last, node) is not { } path)
                continue;
            context.Claim(path.RootName);
            int list = InspectionContext.Child(last.Graph, node, "m_continuationObject");
            var evidence = new List<string>
            {
                $"a {last.Graph.NodeTypeName(node)} has {SeriesGrowth.Text(series)} continuations waiting for it",
                $"path: {InspectionContext.Describe(path)} → .m_continuationObject {last.Graph.NodeTypeName(list)}",
            };
            if (Captured(last.Graph, list) is { } captured)
                evidence.Add(captured);
            if (context.Last.Tables is { } tables)
                evidence.Add(tables.PendingTasks.Any(t => t.MaxAddress == last.Graph.Address(node))
                    ? "the task has not completed (its state flags in the dump), so its continuations never run"
                    : "the dump's pending-task table does not list this task as the one with the most continuations");
            evidence.Add($"the continuation list retains {ByteSize.Format(last.Dominators.RetainedSize(list))}");
            if (!context.IsSeries)
                evidence.Add(InspectionContext.OneSnapshotCaveat);
            context.Add(new Finding(Scenario, $"Never-completed task under {path.RootName} keeps {Quantity.Count(series[^1])} closures", new FindingRoot("task", path.RootName), evidence,
                context.Score(series), "Do not attach a continuation per item to a long-lived task; complete or cancel it, and capture only what the continuation needs.", Name)
            { Counts = series, RetainedBytes = last.Dominators.RetainedSize(list) });
        }
    }

    private static IEnumerable<(int Node, long Count)> Tasks(HeapAnalysis analysis)
    {
        HeapGraph graph = analysis.Graph;
        for (int v = 0; v < graph.NodeCount; v++)
        {
            if (!analysis.Paths.IsReachable(v))
                continue;
            int list = InspectionContext.Child(graph, v, "m_continuationObject");
            if (list < 0 || !graph.NodeTypeName(list).StartsWith("System.Collections.Generic.List<", StringComparison.Ordinal))
                continue;
            int items = InspectionContext.Child(graph, list, "_items");
            if (items >= 0)
                yield return (v, graph.Children(items).Length);
        }
    }

    /// <summary>
    /// "each continuation → … → ._target Closure, which captured .renderedReport Byte[]": from the first continuation, a
    /// short breadth-first walk (continuations wrap their task, which holds the delegate) to a delegate target with fields.
    /// </summary>
    private static string? Captured(HeapGraph graph, int list)
    {
        int items = InspectionContext.Child(graph, list, "_items");
        if (items < 0 || graph.Children(items).Length == 0)
            return null;
        int first = graph.Children(items)[0];
        var queue = new Queue<(int Node, int Depth, string Path)>();
        queue.Enqueue((first, 0, graph.NodeTypeName(first)));
        var seen = new HashSet<int> { first };
        while (queue.Count > 0)
        {
            var (node, depth, path) = queue.Dequeue();
            int target = InspectionContext.Child(graph, node, "_target");
            if (target >= 0 && graph.Children(target).Length > 0)
            {
                ReadOnlySpan<int> children = graph.Children(target);
                ReadOnlySpan<int> fields = graph.ChildFields(target);
                var captured = new List<string>();
                for (int i = 0; i < children.Length && captured.Count < 4; i++)
                    captured.Add($".{graph.FieldName(fields[i])} {graph.NodeTypeName(children[i])} ({ByteSize.Format(graph.Size(children[i]))})");
                return $"each continuation: {path} → ._target {graph.NodeTypeName(target)}, which captured {string.Join(", ", captured)}";
            }
            if (depth >= 4)
                continue;
            ReadOnlySpan<int> next = graph.Children(node);
            ReadOnlySpan<int> nextFields = graph.ChildFields(node);
            for (int i = 0; i < next.Length; i++)
            {
                if (seen.Add(next[i]))
                    queue.Enqueue((next[i], depth + 1, $"{path} → .{graph.FieldName(nextFields[i])} {graph.NodeTypeName(next[i])}"));
            }
        }
        return null;
    }
}
