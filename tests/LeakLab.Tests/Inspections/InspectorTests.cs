using Xunit;

namespace LeakLab.Tests.Inspections;

/// <summary>
/// Inspections on hand-built graphs of a program they were not written against (MyApp.*): each fires on its runtime
/// structure when it grows across snapshots, names the cause, and stays silent when the same structure is flat.
/// </summary>
public class InspectorTests
{
    private static InspectionSnapshot Snapshot(Action<HeapGraphBuilder> build)
    {
        var b = new HeapGraphBuilder();
        build(b);
        return new InspectionSnapshot(new HeapAnalysis(b.Build(new SnapshotInfo { SourceKind = "test", ProcessId = 7, HasFieldNames = true })), null);
    }

    private static InspectionReport Series(Action<HeapGraphBuilder, int> build, params int[] sizes) =>
        Inspector.Run([.. sizes.Select(n => Snapshot(b => build(b, n)))]);

    /// <summary>Files given newest first (a shell wildcard's order) are inspected oldest first by their capture times.</summary>
    [Fact]
    public void Snapshots_given_newest_first_are_inspected_in_capture_order()
    {
        var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        InspectionSnapshot At(int subscribers, int second)
        {
            var b = new HeapGraphBuilder();
            Event(b, subscribers);
            var info = new SnapshotInfo { SourceKind = "test", ProcessId = 7, HasFieldNames = true, CapturedAt = start.AddSeconds(second), Path = $"s{second}.dmp" };
            return new InspectionSnapshot(new HeapAnalysis(b.Build(info)), null);
        }
        InspectionReport report = Inspector.Run([At(3000, 10), At(2000, 5), At(1000, 0)]);
        Assert.Contains("reordered", report.Order);
        Assert.Equal([start, start.AddSeconds(5), start.AddSeconds(10)], report.Snapshots.Select(s => s.CapturedAt!.Value));
        Assert.Contains(report.Findings, f => f.Scenario == "S02");
    }

    /// <summary>static MyApp.Bus.Changed → EventHandler ._invocationList Object[] → n delegates → ._target MyApp.Listener.</summary>
    internal static void Event(HeapGraphBuilder b, int subscribers) => Event(b, subscribers, "MyApp.Bus.Changed", "MyApp.Listener");

    internal static void Event(HeapGraphBuilder b, int subscribers, string field, string listener)
    {
        NodeId del = b.AddNode("System.EventHandler", 64);
        NodeId list = b.AddNode("System.Object[]", 32 + 8L * subscribers);
        b.AddEdge(del, list, "_invocationList");
        for (int i = 0; i < subscribers; i++)
        {
            NodeId handler = b.AddNode("System.EventHandler", 64);
            b.AddEdge(list, handler, (FieldId)FieldIds.ArrayElement);
            b.AddEdge(handler, b.AddNode(listener, 1024), "_target");
        }
        b.AddRoot(RootKind.StaticField, field, del);
    }

    /// <summary>static MyApp.Store.s_items → a BCL collection of the given type → Entry[] → n values of 256 bytes.</summary>
    private static void Collection(HeapGraphBuilder b, string root, string type, string value, int entries)
    {
        NodeId dict = b.AddNode(type, 80);
        NodeId array = b.AddNode(type + "+Entry[]", 32 + 24L * entries);
        b.AddEdge(dict, array, "_entries");
        for (int i = 0; i < entries; i++)
            b.AddEdge(array, b.AddNode(value, 256), (FieldId)FieldIds.ArrayElement);
        b.AddRoot(RootKind.StaticField, root, dict);
    }

    [Fact]
    public void Growing_invocation_list_is_an_event_leak_named_by_its_field()
    {
        InspectionReport report = Series(Event, 20, 300, 600);
        Finding finding = Assert.Single(report.Findings);
        Assert.Equal("S02", finding.Scenario);
        Assert.Equal(new FindingRoot("event", "MyApp.Bus.Changed"), finding.Root);
        Assert.Contains(finding.Evidence, e => e.Contains("20 → 300 → 600 subscribers", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("MyApp.Listener ×600", StringComparison.Ordinal));
    }

    [Fact]
    public void A_flat_or_shrinking_invocation_list_is_not_a_leak()
    {
        Assert.Empty(Series(Event, 300, 300, 300).Findings);
        Assert.Empty(Series(Event, 600, 300, 20).Findings);
    }

    [Fact]
    public void Growing_static_dictionary_is_a_static_collection_leak_and_an_object_valued_id_table_a_registry()
    {
        InspectionReport cache = Series((b, n) => Collection(b, "MyApp.Store.s_items", "System.Collections.Generic.Dictionary<System.String, MyApp.Item>", "MyApp.Item", n), 10, 400, 800);
        Finding s01 = Assert.Single(cache.Findings);
        Assert.Equal(("S01", "static field", "MyApp.Store.s_items"), (s01.Scenario, s01.Root.Kind, s01.Root.Name));

        InspectionReport registry = Series((b, n) => Collection(b, "MyApp.Interop.s_ids", "System.Collections.Generic.Dictionary<System.Int64, System.Object>", "MyApp.Callback", n), 10, 400, 800);
        Finding s09 = Assert.Single(registry.Findings);
        Assert.Equal(("S09", "registry", "MyApp.Interop.s_ids"), (s09.Scenario, s09.Root.Kind, s09.Root.Name));

        Assert.Empty(Series((b, n) => Collection(b, "MyApp.Store.s_items", "System.Collections.Generic.Dictionary<System.String, MyApp.Item>", "MyApp.Item", n), 800, 790, 805).Findings);
    }

    [Fact]
    public void Channel_whose_queue_segments_fill_up_is_a_backlog()
    {
        void Channel(HeapGraphBuilder b, int items)
        {
            NodeId channel = b.AddNode("System.Threading.Channels.UnboundedChannel<MyApp.Job>", 64);
            NodeId queue = b.AddNode("System.Collections.Concurrent.ConcurrentQueue<MyApp.Job>", 48);
            b.AddEdge(channel, queue, "_items");
            int previous = -1;
            for (int left = items; left > 0 || previous < 0; left -= 32)
            {
                NodeId segment = b.AddNode("System.Collections.Concurrent.ConcurrentQueueSegment<MyApp.Job>", 48);
                NodeId slots = b.AddNode("System.Collections.Concurrent.ConcurrentQueueSegment<MyApp.Job>+Slot[]", 32 + 16L * 32);
                b.AddEdge(segment, slots, "_slots");
                for (int i = 0; i < Math.Min(32, left); i++)
                    b.AddEdge(slots, b.AddNode("MyApp.Job", 512), (FieldId)FieldIds.ArrayElement);
                b.AddEdge((NodeId)(previous < 0 ? queue : previous), segment, previous < 0 ? "_head" : "_nextSegment");
                previous = segment;
            }
            b.AddRoot(RootKind.StaticField, "MyApp.Pipeline.Jobs", channel);
        }
        Finding finding = Assert.Single(Series(Channel, 10, 200, 400).Findings);
        Assert.Equal(("S04", "channel", "MyApp.Pipeline.Jobs"), (finding.Scenario, finding.Root.Kind, finding.Root.Name));
        Assert.Contains(finding.Evidence, e => e.Contains("10 → 200 → 400 queued items", StringComparison.Ordinal));
        Assert.Empty(Series(Channel, 3, 0, 2).Findings);
    }

    [Fact]
    public void Token_source_whose_callback_list_grows_names_the_source()
    {
        void Source(HeapGraphBuilder b, int callbacks)
        {
            NodeId cts = b.AddNode("System.Threading.CancellationTokenSource", 48);
            NodeId registrations = b.AddNode("System.Threading.CancellationTokenSource+Registrations", 48);
            b.AddEdge(cts, registrations, "_registrations");
            int previous = registrations;
            for (int i = 0; i < callbacks; i++)
            {
                NodeId node = b.AddNode("System.Threading.CancellationTokenSource+CallbackNode", 64);
                b.AddEdge((NodeId)previous, node, previous == registrations ? "Callbacks" : "Next");
                b.AddEdge(node, b.AddNode("MyApp.Request", 800), "CallbackState");
                previous = node;
            }
            b.AddRoot(RootKind.StaticField, "MyApp.Host.s_stopping", cts);
        }
        Finding finding = Assert.Single(Series(Source, 10, 200, 400).Findings);
        Assert.Equal(("S06", "token source", "MyApp.Host.s_stopping"), (finding.Scenario, finding.Root.Kind, finding.Root.Name));
        Assert.Contains(finding.Evidence, e => e.Contains("MyApp.Request ×400", StringComparison.Ordinal));
    }

    [Fact]
    public void Pool_shape_is_an_owner_with_a_free_list_and_a_growing_list_of_the_same_element_past_which_data_is_kept()
    {
        void Pool(HeapGraphBuilder b, int created)
        {
            NodeId pool = b.AddNode("MyApp.BufferPool", 48);
            NodeId free = b.AddNode("System.Collections.Generic.Stack<MyApp.Lease>", 32);
            NodeId all = b.AddNode("System.Collections.Generic.List<MyApp.Lease>", 32);
            NodeId items = b.AddNode("MyApp.Lease[]", 32 + 8L * created);
            b.AddEdge(pool, free, "_free");
            b.AddEdge(pool, all, "_all");
            b.AddEdge(all, items, "_items");
            for (int i = 0; i < created; i++)
            {
                NodeId lease = b.AddNode("MyApp.Lease", 40);
                b.AddEdge(items, lease, (FieldId)FieldIds.ArrayElement);
                b.AddEdge(lease, b.AddNode("MyApp.Payload", 2048), "_last");
            }
            b.AddRoot(RootKind.StaticField, "MyApp.BufferPool.Shared", pool);
        }
        InspectionReport report = Series(Pool, 10, 300, 600);
        Finding finding = Assert.Single(report.Findings);
        Assert.Equal(("S10", "pool", "MyApp.BufferPool.Shared"), (finding.Scenario, finding.Root.Kind, finding.Root.Name));
        Assert.Contains(finding.Evidence, e => e.Contains("free list ._free", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("MyApp.Lease → ._last MyApp.Payload", StringComparison.Ordinal));
    }

    [Fact]
    public void One_snapshot_says_what_it_cannot_decide_and_a_graph_without_runtime_tables_says_which_data_is_needed()
    {
        InspectionReport one = Inspector.Run([Snapshot(b => Event(b, 50))]);
        Assert.Empty(one.Findings); // 50 subscribers in one snapshot is no proof
        Assert.Contains(one.Notes, n => n.Scenario == "S01" && n.Text.StartsWith("one snapshot", StringComparison.Ordinal));
        InspectionReport series = Series(Event, 20, 300, 600);
        Assert.Contains(series.Notes, n => n.Scenario == "S12" && n.Text.Contains("needs dumps", StringComparison.Ordinal));
        Assert.Contains(series.Notes, n => n.Scenario == "S05" && n.Text.Contains("a dump", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_input_is_one_clear_error()
    {
        Assert.Equal(LeakLabErrorKind.NotReady, Assert.Throws<LeakLabException>(() => Inspector.Run([])).Kind);
        var other = new InspectionSnapshot(new HeapAnalysis(new HeapGraphBuilder().Build(new SnapshotInfo { SourceKind = "test", ProcessId = 8 })), null);
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => Inspector.Run([Snapshot(b => Event(b, 1)), other])).Kind);
    }

    /// <summary>
    /// Snapshots of a live process carry its /proc reading: memory beside the GC heap that grows by hundreds of MB while
    /// the GC heap stays flat is S08 even with no handle growth; the same readings flat (or the GC heap growing as much)
    /// are not.
    /// </summary>
    [Theory]
    [InlineData(new long[] { 100, 250, 400 }, new long[] { 50, 52, 51 }, true)]
    [InlineData(new long[] { 100, 101, 100 }, new long[] { 50, 52, 51 }, false)]
    [InlineData(new long[] { 100, 250, 400 }, new long[] { 50, 200, 350 }, false)]
    public void Native_memory_of_a_live_process_beside_a_flat_gc_heap_is_S08(long[] nonGcMb, long[] gcMb, bool fires)
    {
        InspectionSnapshot At(int i)
        {
            var b = new HeapGraphBuilder();
            b.AddRoot(RootKind.StaticField, "MyApp.Program.s_config", b.AddNode("MyApp.Config", 64));
            var memory = new ProcessMemory((nonGcMb[i] + gcMb[i] + 30) << 20, (nonGcMb[i] + gcMb[i]) << 20, 30L << 20, 0, 0, gcMb[i] << 20, nonGcMb[i] << 20, "eventpipe");
            return new InspectionSnapshot(new HeapAnalysis(b.Build(new SnapshotInfo { SourceKind = "eventpipe", ProcessId = 7, ProcessMemory = memory })), null);
        }
        InspectionReport report = Inspector.Run([At(0), At(1), At(2)]);

        Finding? s08 = report.Findings.SingleOrDefault(f => f.Scenario == "S08");
        Assert.Equal(fires, s08 is not null);
        if (s08 is not null)
        {
            Assert.Equal("Native memory grows beside a flat GC heap", s08.Title);
            Assert.Contains(s08.Evidence, e => e.StartsWith("anonymous memory beside the GC heap (live process, /proc): 100.0 MiB → 250.0 MiB → 400.0 MiB", StringComparison.Ordinal));
        }
    }
}
