using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.EventPipe;

/// <summary>EventPipe heap snapshots of a real leaking process, checked against ClrMD dumps of the same process.</summary>
public sealed class HeapSnapshotCaptureTests(StaticCacheSnapshotFixture fixture, ITestOutputHelper output) : IClassFixture<StaticCacheSnapshotFixture>
{
    private HeapGraph Graph => fixture.Graph;

    [Fact]
    public void The_cache_field_is_a_static_root_holding_the_normalised_dictionary()
    {
        HeapRoot root = Assert.Single(Graph.Roots, r => r.Name == StaticCacheSnapshotFixture.CacheField);
        Assert.Equal(RootKind.StaticField, root.Kind);
        Assert.Equal(StaticCacheSnapshotFixture.CacheType, Graph.NodeTypeName(root.Node));
        output.WriteLine(string.Join(Environment.NewLine, fixture.Progress));
    }

    [Fact]
    public void The_snapshot_describes_its_source_and_has_no_field_names()
    {
        SnapshotInfo info = Graph.Info;
        Assert.Equal("eventpipe", info.SourceKind);
        Assert.Equal(fixture.Sample.Pid, info.ProcessId);
        Assert.Equal("LeakLab.Sample", info.ProcessName);
        Assert.False(info.HasFieldNames);
        Assert.Null(info.Path);
        Assert.NotNull(info.CapturedAt);
        Assert.InRange(DateTimeOffset.UtcNow - info.CapturedAt!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.Matches(@"^\d+\.\d+\.\d+", info.RuntimeVersion);
        // What the events delivered: every object counted, nothing lost on a quiet sample.
        LoadReport load = info.Load!;
        Assert.Equal("eventpipe", load.Source);
        Assert.Equal(Graph.NodeCount, load.Objects);
        Assert.Equal(Enumerable.Range(0, Graph.NodeCount).Sum(v => Graph.Size((NodeId)v)), load.Bytes);
        Assert.Equal(0, load.EventsLost);
        Assert.Null(load.RootsUnresolved); // not counted for snapshots (see LoadReport.RootsUnresolved)
        Assert.True(load.IsClean, load.ToString());
        Assert.Null(load.Damage);

        int named = 0;
        for (int v = 0; v < Graph.NodeCount; v++)
        {
            if (v > 0)
                Assert.True(Graph.Address((NodeId)v) > Graph.Address((NodeId)(v - 1)), "addresses must ascend");
            foreach (int field in Graph.ChildFields((NodeId)v))
                named += field is FieldIds.Unknown or FieldIds.DependentHandle ? 0 : 1;
        }
        Assert.Equal(0, named);
        Assert.True(Graph.EdgeCount > Graph.NodeCount / 2, $"{Graph.EdgeCount} references for {Graph.NodeCount} objects");
    }

    [Fact]
    public void Every_leaked_order_is_counted_with_its_payload()
    {
        int orders = Enumerable.Range(0, Graph.NodeCount).Count(v => Graph.NodeTypeName((NodeId)v) == StaticCacheSnapshotFixture.LeakedType);
        Assert.InRange(orders, 100, 100_000);

        // Each CachedOrder references its payload byte[] (1,024 bytes plus the array header).
        int order = Enumerable.Range(0, Graph.NodeCount).First(v => Graph.NodeTypeName((NodeId)v) == StaticCacheSnapshotFixture.LeakedType);
        Assert.Contains(Graph.Children((NodeId)order).ToArray(), c => Graph.NodeTypeName(c) == "System.Byte[]" && Graph.Size(c) >= 1024);
        Assert.True(fixture.First.TargetPause > TimeSpan.Zero && fixture.First.TargetPause < TimeSpan.FromSeconds(10), $"pause {fixture.First.TargetPause}");
        Assert.True(fixture.First.SessionStart < fixture.First.Elapsed);
    }

    [Fact]
    public void Retention_paths_to_the_leaked_type_start_at_the_static_field()
    {
        IReadOnlyList<RetentionPath> paths = new HeapAnalysis(Graph).Paths.PathsToType(StaticCacheSnapshotFixture.LeakedType);
        RetentionPath top = paths[0];
        output.WriteLine($"{top.Count} x {top.RootKind} {top.RootName}: {top.Shape}");
        Assert.Equal(RootKind.StaticField, top.RootKind);
        Assert.Equal(StaticCacheSnapshotFixture.CacheField, top.RootName);
        Assert.Equal(StaticCacheSnapshotFixture.CacheType, top.Steps[0].Type);
        Assert.Equal(StaticCacheSnapshotFixture.LeakedType, top.Steps[^1].Type);
        Assert.True(top.Count >= 100, $"only {top.Count} orders on the top path");
    }

    [Fact]
    public async Task Type_names_and_the_root_name_equal_those_of_a_dump_of_the_same_process()
    {
        string dump = await fixture.Sample.DumpAsync("compare-names");
        HeapGraph fromDump = await Task.Run(() => DumpLoader.Load(dump));

        string[] leakTypes = [StaticCacheSnapshotFixture.LeakedType, StaticCacheSnapshotFixture.CacheType, "System.Byte[]", "System.String"];
        foreach (string type in leakTypes)
        {
            Assert.Contains(type, TypeNames(Graph));
            Assert.Contains(type, TypeNames(fromDump));
        }
        HeapRoot dumpRoot = Assert.Single(fromDump.Roots, r => r.Name == StaticCacheSnapshotFixture.CacheField);
        Assert.Equal(RootKind.StaticField, dumpRoot.Kind);

        // Beyond the leak: the sample's own static roots carry the same names from both sources.
        string[] Samples(HeapGraph g) => [.. g.Roots.Where(r => r.Kind == RootKind.StaticField && r.Name.StartsWith("LeakLab.Sample.", StringComparison.Ordinal))
            .Select(r => r.Name).Distinct().Order(StringComparer.Ordinal)];
        Assert.NotEmpty(Samples(Graph));
        // Every one the dump names, EventPipe names too (it also has boxed struct statics, which the dump loader skips).
        Assert.Subset(Samples(Graph).ToHashSet(), Samples(fromDump).ToHashSet());
        Assert.Contains(StaticCacheSnapshotFixture.CacheField, Samples(fromDump));
    }

    [Fact]
    public async Task A_saved_snapshot_and_a_later_one_show_the_leak_growing_and_the_process_keeps_running()
    {
        using var folder = new TempFolder("leaklab-llhg");
        string file = folder.File("first" + HeapSnapshotFile.Extension);
        HeapSnapshotFile.Save(Graph, file);
        HeapGraph first = HeapSnapshotFile.Load(file);

        await Task.Delay(1500);
        Assert.False(fixture.Sample.Process.HasExited, "the sample must survive the first snapshot");
        HeapGraph second = await Task.Run(() => HeapSnapshotCapture.Capture(fixture.Sample.Pid));
        Assert.False(fixture.Sample.Process.HasExited, "the sample must survive the second snapshot");

        SnapshotComparison comparison = SnapshotComparison.Compare([new HeapAnalysis(first), new HeapAnalysis(second)]);
        TypeTrend orders = Assert.Single(comparison.Types, t => t.Type == StaticCacheSnapshotFixture.LeakedType);
        output.WriteLine($"{orders.Type}: {string.Join(" -> ", orders.Counts)} growing={orders.Growing} ({orders.Reason})");
        Assert.True(orders.Counts[1] > orders.Counts[0] + 200, string.Join(" -> ", orders.Counts));
        Assert.True(orders.Growing, orders.Reason);
        RootTrend cache = Assert.Single(comparison.Roots, r => r.Name == StaticCacheSnapshotFixture.CacheField);
        Assert.True(cache.Growing, cache.Reason);

        // Still alive and still leaking: the READY line came once and the process did not exit.
        await Task.Delay(200);
        Assert.False(fixture.Sample.Process.HasExited);
    }

    private static HashSet<string> TypeNames(HeapGraph g) => [.. Enumerable.Range(0, g.TypeCount).Select(t => g.TypeName((TypeId)t))];
}
