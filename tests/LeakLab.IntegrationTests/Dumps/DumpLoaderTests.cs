using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.IntegrationTests.Dumps;

/// <summary>Loads a real dump of the static-cache sample and checks the graph against ClrMD's per-object API.</summary>
[Collection(StaticCacheLoadFixture.Collection)]
public sealed class DumpLoaderTests(StaticCacheLoadFixture fixture)
{
    private const string CacheType = "System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>";
    private HeapGraph Graph => fixture.Graph;

    [Fact]
    public void TheCacheStaticIsARootThatPointsAtTheDictionary()
    {
        HeapRoot root = Assert.Single(Graph.Roots, r => r.Name == StaticCacheLoadFixture.CacheFieldName);
        Assert.Equal(RootKind.StaticField, root.Kind);
        Assert.Equal(CacheType, Graph.NodeTypeName(root.Node));
    }

    [Fact]
    public void StaticFieldsComeFirstInTheRootList()
    {
        IReadOnlyList<HeapRoot> roots = Graph.Roots;
        int firstOther = roots.ToList().FindIndex(r => r.Kind != RootKind.StaticField);
        Assert.True(firstOther > 0, "expected static roots followed by other roots");
        Assert.All(roots.Skip(firstOther), r => Assert.NotEqual(RootKind.StaticField, r.Kind));
        // The runtime's own statics array (object[] held by a strong handle) is still there, after the fields.
        Assert.Contains(roots, r => r.Kind == RootKind.StrongHandle);
    }

    [Fact]
    public void ReferencesCarryFieldNamesDownToTheLeakedPayloads()
    {
        int dictionary = Graph.Roots.Single(r => r.Name == StaticCacheLoadFixture.CacheFieldName).Node;
        int entries = SingleChild(dictionary, "_entries");
        Assert.Equal(CacheType + "+Entry[]", Graph.NodeTypeName((NodeId)entries));

        ReadOnlySpan<NodeId> elements = Graph.Children((NodeId)entries);
        Assert.All(Graph.ChildFields((NodeId)entries).ToArray(), f => Assert.Equal(FieldIds.ArrayElement, f));
        NodeId[] orders = elements.ToArray().Where(n => Graph.NodeTypeName(n) == "LeakLab.Sample.CachedOrder").ToArray();
        Assert.True(orders.Length >= 200, $"expected hundreds of leaked orders in the cache, found {orders.Length}");

        int payload = SingleChild(orders[0], "Payload");
        Assert.Equal("System.Byte[]", Graph.NodeTypeName((NodeId)payload));
        Assert.True(Graph.Size((NodeId)payload) >= 1024, "the sample's payload is 1 KiB");
    }

    [Fact]
    public void ObjectsSizesAndReferencesMatchClrMdPerObjectApi()
    {
        using DataTarget target = DataTarget.LoadDump(fixture.DumpPath);
        using ClrRuntime runtime = ClrMdRuntime.Create(target);
        long objects = 0, references = 0, checkedObjects = 0;
        var bytesByType = new Dictionary<string, long>();
        foreach (ClrObject obj in runtime.Heap.EnumerateObjects())
        {
            if (obj.Type is null || obj.IsFree)
                continue;
            objects++;
            string type = TypeNameNormalizer.Normalize(obj.Type.Name ?? "?");
            bytesByType[type] = bytesByType.GetValueOrDefault(type) + (long)obj.Size;
            ulong[] expected = [.. obj.EnumerateReferences(carefully: false, considerDependantHandles: true).Select(r => r.Address).Where(a => a != 0).Order()];
            references += expected.Length;
            if (objects % 25 != 0)
                continue;

            // Every 25th object: the same node, type, size and references, in full.
            int node = Graph.FindNode(obj.Address);
            Assert.True(node >= 0, $"object 0x{obj.Address:x} ({type}) is missing from the graph");
            Assert.Equal(type, Graph.NodeTypeName((NodeId)node));
            Assert.Equal((long)obj.Size, Graph.Size((NodeId)node));
            ulong[] actual = [.. Graph.Children((NodeId)node).ToArray().Select(Graph.Address).Order()];
            Assert.Equal(expected, actual);
            checkedObjects++;
        }

        Assert.True(checkedObjects > 100);
        Assert.InRange(Graph.NodeCount, objects * 0.99, objects * 1.01);
        Assert.InRange(Graph.EdgeCount, references * 0.99, references * 1.01);
        var graphBytes = new Dictionary<string, long>();
        for (int n = 0; n < Graph.NodeCount; n++)
            graphBytes[Graph.NodeTypeName((NodeId)n)] = graphBytes.GetValueOrDefault(Graph.NodeTypeName((NodeId)n)) + Graph.Size((NodeId)n);
        Assert.Equal(bytesByType.OrderBy(kv => kv.Key), graphBytes.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void NodesAscendAndEveryObjectHasAGeneration()
    {
        var generations = new HashSet<Generation>();
        for (int n = 0; n < Graph.NodeCount; n++)
        {
            generations.Add(Graph.GenerationOf((NodeId)n));
            if (n > 0)
                Assert.True(Graph.Address((NodeId)n) > Graph.Address((NodeId)(n - 1)));
        }
        Assert.DoesNotContain(Generation.Unknown, generations);
        // String literals live on the frozen heap; the runtime pins a few objects at startup; the rest is GC'd heap.
        Assert.Contains(Generation.Frozen, generations);
        Assert.True(generations.Count(g => g <= Generation.Gen2) >= 1, string.Join(", ", generations));
        Assert.True(generations.Count >= 3, $"generations seen: {string.Join(", ", generations)}");
    }

    [Fact]
    public void SnapshotInfoDescribesTheDump()
    {
        SnapshotInfo info = Graph.Info;
        Assert.Equal("dump", info.SourceKind);
        Assert.Equal(fixture.DumpPath, info.Path);
        Assert.True(Path.IsPathRooted(info.Path));
        Assert.Equal(fixture.Pid, info.ProcessId);
        Assert.Equal("LeakLab.Sample", info.ProcessName);
        // The sample runs on the same shared runtime as the test host.
        string runtimeFolder = Path.GetFileName(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/'));
        Assert.Equal(runtimeFolder, info.RuntimeVersion);
        Assert.True(info.HasFieldNames);
        Assert.NotNull(info.CapturedAt);
        Assert.InRange(info.CapturedAt.Value, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void StackRootsNameThreadAndMethodAndAreNotRepeated()
    {
        HeapRoot[] stack = [.. Graph.Roots.Where(r => r.Kind == RootKind.ThreadStack)];
        Assert.NotEmpty(stack);
        var name = new Regex(@"^thread \d+ \(os 0x[0-9a-f]+\): \S+\.\S+");
        Assert.All(stack, r => Assert.Matches(name, r.Name));
        Assert.Equal(stack.Length, stack.Select(r => r.Node).Distinct().Count());
        Assert.Contains(stack, r => r.Name.Contains("LeakLab.Sample.Program.", StringComparison.Ordinal));
    }

    [Fact]
    public void TypeStatisticsAgreeWithTheGraph()
    {
        IReadOnlyList<TypeStat> stats = DumpLoader.ReadTypeStatistics(fixture.DumpPath);
        var expected = Enumerable.Range(0, Graph.NodeCount)
            .GroupBy(n => Graph.NodeTypeName((NodeId)n))
            .ToDictionary(g => g.Key, g => (Count: (long)g.Count(), Bytes: g.Sum(n => Graph.Size((NodeId)n))));
        Assert.Equal(expected.Count, stats.Count);
        foreach (TypeStat stat in stats)
            Assert.Equal(expected[stat.Type], (stat.Count, stat.Bytes));
        Assert.Equal(stats.OrderByDescending(s => s.Bytes).Select(s => s.Bytes), stats.Select(s => s.Bytes));
        Assert.Null(stats[0].Retained);
    }

    [Fact]
    public void ProgressCoversEveryPhase()
    {
        string[] phases = [.. fixture.Progress.Select(p => p.Phase).Distinct()];
        Assert.Equal(["open", "objects", "roots", "references"], phases);
        foreach (string walk in new[] { "objects", "references" })
        {
            LoadProgress last = fixture.Progress.Last(p => p.Phase == walk);
            Assert.True(last.Total > 0);
            Assert.Equal(last.Total, last.Done);
        }
    }

    [Fact]
    public void ACancelledLoadStops()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DumpLoader.Load(fixture.DumpPath, new DumpLoadOptions { CancellationToken = cancel.Token }));
    }

    [Fact]
    public void AnExplicitDacPathIsUsed()
    {
        string dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libmscordaccore.so");
        IReadOnlyList<TypeStat> stats = DumpLoader.ReadTypeStatistics(fixture.DumpPath, new DumpLoadOptions { DacPath = dac });
        Assert.Equal(Graph.NodeCount, stats.Sum(s => s.Count));

        string missing = Path.Combine(fixture.Folder, "no-such-dac.so");
        var error = Assert.Throws<LeakLabException>(() => DumpLoader.Load(fixture.DumpPath, new DumpLoadOptions { DacPath = missing }));
        Assert.Equal(LeakLabErrorKind.MissingDac, error.Kind);
        Assert.Contains(missing, error.Message);
    }

    private int SingleChild(int node, string field)
    {
        NodeId[] children = Graph.Children((NodeId)node).ToArray();
        FieldId[] fields = Graph.ChildFields((NodeId)node).ToArray();
        int[] matches = [.. Enumerable.Range(0, children.Length).Where(i => Graph.FieldName(fields[i]) == field).Select(i => (int)children[i])];
        Assert.True(matches.Length == 1,
            $"{Graph.NodeTypeName((NodeId)node)} has {matches.Length} references named {field}; fields: {string.Join(", ", fields.Select(f => Graph.FieldName(f)))}");
        return matches[0];
    }
}
