namespace LeakLab.Core.Inspections;

/// <summary>
/// S04: items piling up in a channel (or BlockingCollection) whose consumer is stuck or gone. Keyed on the runtime
/// types: a <c>System.Threading.Channels</c> channel's <c>_items</c> queue (ConcurrentQueue segments or a Deque) or a
/// BlockingCollection's <c>_collection</c>, whose item count grows.
/// </summary>
internal sealed class ChannelBacklogInspection : IInspection
{
    private const int MinTracked = 8;
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 10_000;
    private const int MaxSegments = 1_000_000;

    public string Scenario => "S04";
    public string Name => "channel-backlog";

    public void Run(InspectionContext context)
    {
        if (!context.HasFieldNames)
        {
            context.Note(this, "channel queues are read through their fields (_items, _slots): this needs field names (a dump)");
            return;
        }
        HeapAnalysis last = context.Last.Analysis;
        foreach (var (key, series, node) in context.Track(Channels, MinTracked))
        {
            bool fires = context.IsSeries ? SeriesGrowth.Grows(series, MinGrowth) : series[^1] >= MinOneSnapshot;
            if (!fires || InspectionContext.PathOf(last, node) is not { } path)
                continue;
            context.Claim(path.RootName);
            string type = last.Graph.NodeTypeName(node);
            var evidence = new List<string>
            {
                $"{type} holds {SeriesGrowth.Text(series)} queued items: written faster than read, or nobody reads",
                $"path: {InspectionContext.Describe(path)} → queue → segments → items",
                $"item types: {string.Join(", ", ItemTypes(last.Graph, node))}",
                $"the channel retains {ByteSize.Format(last.Dominators.RetainedSize(node))}",
            };
            if (!context.IsSeries)
                evidence.Add(InspectionContext.OneSnapshotCaveat);
            context.Add(new Finding(Scenario, $"Channel {path.RootName} piles up items nobody reads", new FindingRoot("channel", path.RootName), evidence,
                context.Score(series), "Keep the consumer alive (handle a bad item without ending the loop, observe its task) and bound the channel (Channel.CreateBounded) so the writer notices.", Name)
            { Counts = series, RetainedBytes = last.Dominators.RetainedSize(node) });
        }
    }

    private static IEnumerable<(int Node, long Count)> Channels(HeapAnalysis analysis)
    {
        HeapGraph graph = analysis.Graph;
        bool[] channelTypes = InspectionContext.Types(graph, t =>
            t.StartsWith("System.Threading.Channels.", StringComparison.Ordinal) && !t.Contains('+')
            || t.StartsWith("System.Collections.Concurrent.BlockingCollection<", StringComparison.Ordinal));
        foreach (int v in InspectionContext.Nodes(analysis, channelTypes))
        {
            int queue = InspectionContext.Child(graph, v, "_items");
            if (queue < 0)
                queue = InspectionContext.Child(graph, v, "_collection");
            if (queue >= 0)
                yield return (v, Items(graph, queue).Count());
        }
    }

    /// <summary>Items of a ConcurrentQueue (its segments' slot arrays, linked by _nextSegment) or of a Deque (_buffer).</summary>
    private static IEnumerable<int> Items(HeapGraph graph, int queue)
    {
        string type = graph.NodeTypeName(queue);
        if (type.StartsWith("System.Collections.Concurrent.ConcurrentQueue<", StringComparison.Ordinal))
        {
            int segments = 0;
            for (int segment = InspectionContext.Child(graph, queue, "_head"); segment >= 0 && segments++ < MaxSegments; segment = InspectionContext.Child(graph, segment, "_nextSegment"))
            {
                int slots = InspectionContext.Child(graph, segment, "_slots");
                if (slots < 0)
                    continue;
                foreach (int item in graph.Children(slots).ToArray())
                    yield return item;
            }
        }
        else if (InspectionContext.Child(graph, queue, "_buffer") is int buffer and >= 0)
        {
            foreach (int item in graph.Children(buffer).ToArray())
                yield return item;
        }
    }

    private static IEnumerable<string> ItemTypes(HeapGraph graph, int channel)
    {
        int queue = InspectionContext.Child(graph, channel, "_items");
        if (queue < 0)
            queue = InspectionContext.Child(graph, channel, "_collection");
        return Items(graph, queue).GroupBy(graph.NodeTypeName).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ×{Quantity.Count(g.Count())}");
    }
}
