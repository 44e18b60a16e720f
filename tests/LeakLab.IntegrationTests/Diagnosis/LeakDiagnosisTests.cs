using Xunit;

namespace LeakLab.IntegrationTests;

/// <summary>
/// End to end on real processes: the sample program leaks (or not), three dumps a few seconds apart are loaded,
/// and the analyses must name the cause: the leaking type and its root rank first and grow; the control grows nothing.
/// </summary>
public sealed class LeakDiagnosisTests
{
    private static async Task<IReadOnlyList<HeapAnalysis>> ThreeSnapshotsAsync(SampleProcess sample)
    {
        var analyses = new List<HeapAnalysis>();
        for (int i = 0; i < 3; i++)
        {
            if (i > 0)
                await Task.Delay(TimeSpan.FromSeconds(2));
            string dump = await sample.DumpAsync($"snap{i}.dmp");
            analyses.Add(new HeapAnalysis(DumpLoader.Load(dump)));
            File.Delete(dump); // the graph is in memory; keep the disk clean as we go
        }
        return analyses;
    }

    [Fact]
    public async Task StaticCache_leak_is_named_by_its_static_field_and_grows()
    {
        await using var sample = await SampleProcess.StartAsync("static-cache", "--rate", "1500");
        var snapshots = await ThreeSnapshotsAsync(sample);
        var diff = SnapshotComparison.Compare(snapshots);

        // The first suspect is the entry type, its payload, or the dictionary's entry array (all three grow).
        string top = diff.Types[0].Type;
        Assert.True(top is "LeakLab.Sample.CachedOrder" or "System.Byte[]" || top.Contains("CachedOrder"),
            $"top suspect is {top}: {diff.Types[0].Reason}");
        TypeTrend order = diff.Types.Single(t => t.Type == "LeakLab.Sample.CachedOrder");
        Assert.True(order.Growing, $"CachedOrder should grow: {order.Reason}");
        Assert.True(order.Counts[2] > order.Counts[0], string.Join(",", order.Counts));

        RootTrend topRoot = diff.Roots[0];
        Assert.Equal(RootKind.StaticField, topRoot.Kind);
        Assert.Equal("LeakLab.Sample.OrderCache.Entries", topRoot.Name);
        Assert.True(topRoot.Growing, topRoot.Reason);

        // The path to the leaked entries starts at the static field, through the dictionary's entries.
        var paths = snapshots[^1].Paths.PathsToType("LeakLab.Sample.CachedOrder");
        Assert.NotEmpty(paths);
        Assert.Equal(RootKind.StaticField, paths[0].RootKind);
        Assert.Equal("LeakLab.Sample.OrderCache.Entries", paths[0].RootName);
        Assert.Contains(paths[0].Steps, s => s.Field == "_entries");

        // Exact retained size: the cache's root retains every leaked entry and its payload.
        HeapAnalysis last = snapshots[^1];
        int rootIndex = IndexOfRoot(last.Graph, RootKind.StaticField, "LeakLab.Sample.OrderCache.Entries");
        (long retainedBytes, long retainedCount) = last.Dominators.RetainedByRoot((RootId)rootIndex);
        long leaked = order.Counts[2];
        Assert.True(retainedCount >= leaked * 2, $"root retains {retainedCount} objects for {leaked} leaked orders");
        Assert.True(retainedBytes >= leaked * 1024, $"root retains {retainedBytes} bytes for {leaked} orders of 1 KiB payload");
    }

    [Fact]
    public async Task EventHandlers_leak_is_named_by_the_event_field_and_grows()
    {
        await using var sample = await SampleProcess.StartAsync("event-handlers", "--rate", "1500");
        var snapshots = await ThreeSnapshotsAsync(sample);
        var diff = SnapshotComparison.Compare(snapshots);

        TypeTrend subscriber = diff.Types.Single(t => t.Type == "LeakLab.Sample.PriceSubscriber");
        Assert.True(subscriber.Growing, subscriber.Reason);
        int rank = diff.Types.ToList().FindIndex(t => t.Type == "LeakLab.Sample.PriceSubscriber");
        Assert.True(rank < 5, $"PriceSubscriber ranks {rank}; top: {string.Join(", ", diff.Types.Take(5).Select(t => t.Type))}");

        RootTrend topRoot = diff.Roots[0];
        Assert.Equal(RootKind.StaticField, topRoot.Kind);
        Assert.Equal("LeakLab.Sample.PriceFeed.PriceChanged", topRoot.Name);
        Assert.True(topRoot.Growing, topRoot.Reason);

        var paths = snapshots[^1].Paths.PathsToType("LeakLab.Sample.PriceSubscriber");
        Assert.Equal("LeakLab.Sample.PriceFeed.PriceChanged", paths[0].RootName);
        Assert.Contains(paths[0].Steps, s => s.Field == "_invocationList");
        Assert.Contains(paths[0].Steps, s => s.Field == "_target");
    }

    [Fact]
    public async Task Control_grows_nothing()
    {
        await using var sample = await SampleProcess.StartAsync("control", "--rate", "1500");
        var snapshots = await ThreeSnapshotsAsync(sample);
        var diff = SnapshotComparison.Compare(snapshots);

        var growingTypes = diff.Types.Where(t => t.Growing).Select(t => $"{t.Type}: {t.Reason}").ToList();
        var growingRoots = diff.Roots.Where(r => r.Growing).Select(r => $"{r.Name}: {r.Reason}").ToList();
        Assert.True(growingTypes.Count == 0, "growing types in control: " + string.Join(" | ", growingTypes));
        Assert.True(growingRoots.Count == 0, "growing roots in control: " + string.Join(" | ", growingRoots));
    }

    private static int IndexOfRoot(HeapGraph graph, RootKind kind, string name)
    {
        for (int i = 0; i < graph.Roots.Count; i++)
        {
            if (graph.Roots[i].Kind == kind && graph.Roots[i].Name == name)
                return i;
        }
        throw new Xunit.Sdk.XunitException($"no {kind} root named {name}; roots: {string.Join(", ", graph.Roots.Where(r => r.Kind == kind).Select(r => r.Name).Take(20))}");
    }
}
