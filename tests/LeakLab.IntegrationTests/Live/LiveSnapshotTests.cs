namespace LeakLab.IntegrationTests.Live;

/// <summary>Heap snapshots taken one after the other, alone and beside a live trace session.</summary>
public sealed class LiveSnapshotTests
{
    private const string EntryType = "LeakLab.Sample.CachedOrder";

    private static int Count(HeapGraph graph, string type) =>
        Enumerable.Range(0, graph.NodeCount).Count(v => graph.NodeTypeName((NodeId)v) == type);

    private static void AssertAllTypesNamed(HeapGraph graph)
    {
        var unknown = Enumerable.Range(0, graph.NodeCount).Select(n => graph.NodeTypeName((NodeId)n)).Where(n => n.StartsWith("<unknown", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"{unknown.Count} unnamed types, e.g. {unknown.FirstOrDefault()}");
    }

    [Fact]
    public async Task A_snapshot_of_a_sample_succeeds_twice_in_a_row()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "500");

        HeapGraph first = HeapSnapshotCapture.Capture(sample.Pid);
        HeapGraph second = HeapSnapshotCapture.Capture(sample.Pid);

        AssertAllTypesNamed(first);
        AssertAllTypesNamed(second);
        Assert.True(Count(second, EntryType) > Count(first, EntryType), $"{Count(first, EntryType)} then {Count(second, EntryType)}");
    }

    [Fact]
    public async Task Snapshots_beside_a_live_trace_name_every_type_and_show_in_its_gc_timeline()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "500");
        var listener = new Collecting();
        using LiveTrace trace = LiveTrace.Start(sample.Pid, listener);

        var graphs = new List<HeapGraph>();
        for (int i = 0; i < 2; i++)
        {
            graphs.Add(HeapSnapshotCapture.Capture(sample.Pid));
            trace.ForgetLoggedTypes();
        }
        await Task.Delay(1500); // one more counter interval
        trace.Stop();

        // Without ForgetLoggedTypes the second snapshot names its types "<unknown type 0x...>".
        Assert.All(graphs, AssertAllTypesNamed);
        GcRecord[] induced = [.. listener.Gcs.Where(g => g.Generation == 2 && g.Reason == "Induced")];
        Assert.True(induced.Length >= 2, string.Join("; ", listener.Gcs));
        Assert.All(induced, g => Assert.True(g.PauseMs > 0 && g.HeapAfter > 0 && g.PromotedBytes > 0, g.ToString()));
        Assert.Contains(listener.Counters, c => c.Name == "gc-heap-size" && c.Value > 0);
        Assert.Contains(listener.Allocations, a => a.Bytes > 0 && a.TypeName.Length > 0);
        Assert.True(trace.EventCount > 0);
    }

    private sealed class Collecting : ILiveTraceListener
    {
        public List<RuntimeCounterSample> Counters { get; } = [];
        public List<GcRecord> Gcs { get; } = [];
        public List<AllocationSample> Allocations { get; } = [];
        public void OnCounter(RuntimeCounterSample sample) { lock (this) Counters.Add(sample); }
        public void OnGc(GcRecord gc) { lock (this) Gcs.Add(gc); }
        public void OnAllocation(AllocationSample sample) { lock (this) Allocations.Add(sample); }
    }
}
