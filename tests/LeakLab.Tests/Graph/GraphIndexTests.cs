using LeakLab.Tests.Analysis;

namespace LeakLab.Tests.Graph;

/// <summary>
/// The graph index (issue 13.1) on hand-built graphs standing in for a dump's walk: reopened graphs and analyses are
/// identical, stale and corrupt indexes are rebuilt with one note, a read-only folder falls back to the cache folder.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GraphIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-index-").FullName;
    private readonly string _dump;
    private readonly List<string> _notes = [];
    private int _walks;

    public GraphIndexTests()
    {
        _dump = Path.Combine(_dir, "core.42");
        File.WriteAllBytes(_dump, Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31)).ToArray());
    }

    public void Dispose()
    {
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(_dir, recursive: true);
    }

    private string Sidecar => _dump + ".llidx";

    /// <summary>A graph with everything the format stores: huge objects, damage, all root kinds, field names, cycles.</summary>
    private static HeapGraph Sample()
    {
        var b = new HeapGraphBuilder();
        TypeId list = b.AddType("System.Collections.Generic.List<Order>");
        TypeId order = b.AddType("Shop.Order");
        TypeId blob = b.AddType("System.Byte[]");
        FieldId items = b.AddField("_items");
        FieldId next = b.AddField("Next");
        NodeId root = b.AddNode(list, 32, Generation.Gen2, 0x1000);
        NodeId prev = root;
        for (int i = 0; i < 50; i++)
        {
            NodeId o = b.AddNode(order, 48 + i, (Generation)(i % 3), 0x2000 + (ulong)i * 0x40);
            b.AddEdge(prev, o, prev == root ? items : next);
            if (i % 7 == 0)
                b.AddEdge(o, root, FieldId.ArrayElement); // a cycle back to the list
            prev = o;
        }
        NodeId huge = b.AddNode(blob, 5L << 30, Generation.Large, 0x9000_0000);
        b.AddEdge(root, huge, FieldId.DependentHandle);
        b.AddNode(order, 100, Generation.Gen0, 0xA000_0000); // unreachable
        foreach (RootKind kind in Enum.GetValues<RootKind>())
            b.AddRoot(kind, $"{kind} root \"é\"", (int)kind % 3 == 0 ? root : huge);
        return b.Build(new SnapshotInfo
        {
            SourceKind = "dump",
            ProcessId = 4242,
            ProcessName = "Shop",
            CapturedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
            RuntimeVersion = "10.0.1",
            HasFieldNames = true,
            Load = new LoadReport { Source = "dump", Objects = 3, Bytes = 96, RootsUnresolved = 1, EventsLost = 0, ReferencesDropped = 3, Damage = new HeapDamage(1, 24, 0, 1 << 20, 3) },
        });
    }

    private HeapGraph Open(Func<HeapGraph>? walk = null) => GraphIndex.Open(_dump, () =>
    {
        _walks++;
        return (walk ?? Sample)();
    }, _notes.Add);

    [Fact]
    public void Second_open_reads_the_index_and_gives_identical_graph_and_analyses()
    {
        HeapGraph first = Open();
        var firstAnalysis = new HeapAnalysis(first);
        _ = firstAnalysis.Paths;
        _ = firstAnalysis.Dominators;
        _ = Shapes(firstAnalysis);
        _ = firstAnalysis.Dominators.GetTotals(); // all four appended to the index
        Assert.True(File.Exists(Sidecar));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Sidecar));
        long length = new FileInfo(Sidecar).Length;

        HeapGraph second = Open();
        var secondAnalysis = new HeapAnalysis(second);
        Assert.Equal(1, _walks);
        Assert.Empty(_notes);
        AssertSameGraph(first, second);
        AssertSameAnalyses(firstAnalysis, secondAnalysis);
        Assert.Equal(length, new FileInfo(Sidecar).Length); // read, not computed and appended again
        Assert.Equal(_dump, second.Info.Path);
    }

    [Fact]
    public void First_open_serves_the_fresh_index_mapped_with_the_results_of_the_walked_graph()
    {
        HeapGraph? walked = null;
        HeapGraph first = Open(() => walked = Sample());
        Assert.NotNull(walked);
        Assert.NotSame(walked, first); // the walked arrays were given back: the graph is the index's, mapped
        AssertSameGraph(walked, first);

        var fromIndex = new HeapAnalysis(first);
        _ = fromIndex.Paths;
        _ = fromIndex.Dominators; // computed, stored, then read back mapped
        AssertSameAnalyses(new HeapAnalysis(walked), fromIndex); // no index behind the walked graph: computed in memory
        Assert.Equal(1, _walks);
        Assert.Empty(_notes);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 1)]
    [InlineData(40, 2)]
    public void Random_graphs_round_trip(int seed, int variant)
    {
        HeapGraph graph = TestGraphs.Random(seed * 3 + variant);
        var a = new HeapAnalysis(Open(() => graph));
        _ = a.Dominators;
        var b = new HeapAnalysis(Open(() => throw new InvalidOperationException("the index must serve the second open")));
        AssertSameGraph(a.Graph, b.Graph);
        AssertSameAnalyses(a, b);
    }

    [Fact]
    public void Paths_to_types_from_the_reopened_index_equal_the_fresh_answer()
    {
        int further = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            File.Delete(Sidecar);
            HeapGraph graph = TestGraphs.Random(seed);
            string[] patterns = [.. Enumerable.Range(0, graph.TypeCount).Select(t => graph.TypeName((TypeId)t)), "T"];
            // The answer without an index, object by object (GroupedPaths over the instances), is the reference.
            ShortestPaths fresh = ShortestPaths.Compute(graph);
            string[] expected = [.. patterns.SelectMany(p => ByInstances(fresh, p))];
            further += expected.Count(line => line.EndsWith(" True", StringComparison.Ordinal));
            Assert.Equal(expected, patterns.SelectMany(p => ByType(fresh, p)).ToArray());

            var computed = new HeapAnalysis(Open(() => graph)); // computes and stores the shapes and the short-lived forest
            Assert.Equal(expected, patterns.SelectMany(p => ByType(computed.Paths, p)).ToArray());
            long length = new FileInfo(Sidecar).Length;
            var reopened = new HeapAnalysis(Open(() => throw new InvalidOperationException("the index must serve the second open")));
            Assert.Equal(expected, patterns.SelectMany(p => ByType(reopened.Paths, p)).ToArray());
            Assert.Equal(expected, patterns.SelectMany(p => ByInstances(reopened.Paths, p)).ToArray());
            Assert.Equal(length, new FileInfo(Sidecar).Length); // all read from the index, nothing appended
        }
        Assert.Empty(_notes);
        Assert.True(further > 0, "some random graph should have further paths");
    }

    private static IEnumerable<string> ByType(ShortestPaths paths, string pattern)
    {
        TypeSelection types = new TypePattern(pattern).Select(paths.Graph, paths);
        return Lines(paths.PathsToType(types, 1000).Concat(paths.FurtherPathsToType(types, 1000)));
    }

    private static IEnumerable<string> ByInstances(ShortestPaths paths, string pattern)
    {
        var instances = new TypePattern(pattern).Select(paths.Graph).InstancesIn(paths.Graph).ToList();
        return Lines(paths.GroupedPaths(instances, 1000).Concat(paths.FurtherPaths(instances, 1000)));
    }

    private static IEnumerable<string> Lines(IEnumerable<RetentionPath> paths) =>
        paths.Select(p => $"{p.RootKind} {p.RootName}: {p.Shape} x{p.Count} e.g. {p.ExampleAddress:x} {p.IsFurther}");

    [Fact]
    public void Corrupt_graph_is_rebuilt_with_one_note()
    {
        HeapGraph first = Open();
        byte[] bytes = File.ReadAllBytes(Sidecar);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(Sidecar, bytes);

        HeapGraph rebuilt = Open();
        Assert.Equal(2, _walks);
        string note = Assert.Single(_notes);
        Assert.Contains("corrupt (checksum mismatch)", note);
        Assert.Contains("rebuilding", note);
        // Against a fresh walk, not `first`: that graph is the index's, mapped, and the file was damaged under it.
        AssertSameGraph(Sample(), rebuilt);

        Open(); // the rebuilt index serves the next open
        Assert.Equal(2, _walks);
        Assert.Single(_notes);
    }

    [Fact]
    public void Corrupt_dominators_are_computed_again_with_one_note()
    {
        var first = new HeapAnalysis(Open());
        _ = first.Paths;
        long beforeDominators = new FileInfo(Sidecar).Length;
        _ = first.Dominators;
        using (var f = new FileStream(Sidecar, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = beforeDominators + 40; // inside the dominator section's payload
            int b = f.ReadByte();
            f.Position--;
            f.WriteByte((byte)(b ^ 1));
        }

        // Against analyses of a fresh walk, not `first`: its results are read back mapped from the file damaged here.
        var expected = new HeapAnalysis(Sample());
        var second = new HeapAnalysis(Open());
        AssertSameAnalyses(expected, second);
        Assert.Contains("retained sizes", Assert.Single(_notes));
        var third = new HeapAnalysis(Open());
        AssertSameAnalyses(expected, third);
        Assert.Single(_notes); // the recomputed section replaced the bad one
        Assert.Equal(1, _walks);
    }

    [Fact]
    public void An_append_cut_short_is_ignored_and_replaced()
    {
        var first = new HeapAnalysis(Open());
        long graphOnly = new FileInfo(Sidecar).Length;
        _ = first.Dominators;
        using (var f = new FileStream(Sidecar, FileMode.Open, FileAccess.Write))
            f.SetLength(graphOnly + 30); // as if the process died while appending

        // `first` is never read again: its dominators are mapped from the part of the file just cut off.
        var expected = new HeapAnalysis(Sample());
        var second = new HeapAnalysis(Open());
        AssertSameAnalyses(expected, second);
        Assert.Empty(_notes); // nothing was wrong with the graph; the dominators are simply computed again
        Assert.Equal(1, _walks);
        var third = new HeapAnalysis(Open());
        AssertSameAnalyses(expected, third);
        Assert.True(new FileInfo(Sidecar).Length > graphOnly + 30);
    }

    [Fact]
    public void Changed_dump_is_stale_and_rebuilt()
    {
        Open();
        File.SetLastWriteTimeUtc(_dump, DateTime.UtcNow.AddMinutes(-5)); // same bytes, new time: a rewritten dump
        Open();
        Assert.Equal(2, _walks);
        Assert.Contains("out of date (the dump changed", Assert.Single(_notes));

        using (var f = new FileStream(_dump, FileMode.Open, FileAccess.Write))
            f.WriteByte(0xFF); // same length, new first bytes
        File.SetLastWriteTimeUtc(_dump, DateTime.UtcNow.AddMinutes(-5));
        Open();
        Assert.Equal(3, _walks);
        Assert.Equal(2, _notes.Count);
    }

    [Fact]
    public void Read_only_folder_puts_the_index_in_the_cache_folder()
    {
        string cache = Path.Combine(_dir, "cache");
        string? saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", cache);
        try
        {
            // root writes through 0555, so for root a directory squats on the index's name beside the dump as well.
            if (Environment.IsPrivilegedProcess)
                Directory.CreateDirectory(Sidecar);
            File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);

            HeapGraph first = Open();
            var analysis = new HeapAnalysis(first);
            _ = analysis.Dominators;
            string cached = Assert.Single(Directory.GetFiles(Path.Combine(cache, "leaklab")));
            Assert.EndsWith(".llidx", cached);
            Assert.StartsWith("core.42-", Path.GetFileName(cached));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cached));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(Path.Combine(cache, "leaklab")));
            Assert.False(File.Exists(Sidecar));
            Assert.Empty(_notes);

            var second = new HeapAnalysis(Open());
            Assert.Equal(1, _walks);
            AssertSameGraph(first, second.Graph);
            AssertSameAnalyses(analysis, second);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }

    /// <summary>Every path shape of the graph with its count and example, as text (records hold lists by reference).</summary>
    internal static string[] Shapes(HeapAnalysis a) =>
        [.. Lines(a.Paths.GroupedPaths(Nodes(a.Graph), 1000).Concat(a.Paths.FurtherPaths(Nodes(a.Graph), 1000)))];

    private static IEnumerable<NodeId> Nodes(HeapGraph g) => Enumerable.Range(0, g.NodeCount).Select(v => (NodeId)v);

    internal static void AssertSameGraph(HeapGraph expected, HeapGraph actual)
    {
        Assert.Equal(expected.NodeCount, actual.NodeCount);
        Assert.Equal(expected.EdgeCount, actual.EdgeCount);
        Assert.Equal(expected.TypeCount, actual.TypeCount);
        Assert.Equal(expected.Info with { Path = null }, actual.Info with { Path = null });
        Assert.Equal(expected.Roots, actual.Roots);
        for (int t = 0; t < expected.TypeCount; t++)
            Assert.Equal(expected.TypeName((TypeId)t), actual.TypeName((TypeId)t));
        foreach (NodeId v in Nodes(expected))
        {
            Assert.Equal(expected.Address(v), actual.Address(v));
            Assert.Equal(expected.TypeOf(v), actual.TypeOf(v));
            Assert.Equal(expected.Size(v), actual.Size(v));
            Assert.Equal(expected.GenerationOf(v), actual.GenerationOf(v));
            Assert.Equal(expected.Children(v).ToArray(), actual.Children(v).ToArray());
            Assert.Equal(expected.ChildFields(v).ToArray().Select(f => expected.FieldName(f)), actual.ChildFields(v).ToArray().Select(f => actual.FieldName(f)));
        }
    }

    internal static void AssertSameAnalyses(HeapAnalysis expected, HeapAnalysis actual)
    {
        HeapGraph g = expected.Graph;
        foreach (NodeId v in Nodes(g))
        {
            Assert.Equal(expected.Paths.PathTo(v), actual.Paths.PathTo(v));
            Assert.Equal(expected.Paths.RootOf(v), actual.Paths.RootOf(v));
            Assert.Equal(expected.Dominators.ImmediateDominator(v), actual.Dominators.ImmediateDominator(v));
            Assert.Equal(expected.Dominators.RetainedSize(v), actual.Dominators.RetainedSize(v));
            Assert.Equal(expected.Dominators.RetainedCount(v), actual.Dominators.RetainedCount(v));
        }
        Assert.Equal(Shapes(expected), Shapes(actual));
        Assert.Equal(expected.Dominators.TopObjects(10), actual.Dominators.TopObjects(10));
        Assert.Equal(expected.Dominators.UnreachableBytes, actual.Dominators.UnreachableBytes);
        for (int r = 0; r < g.Roots.Count; r++)
            Assert.Equal(expected.Dominators.RetainedByRoot((RootId)r), actual.Dominators.RetainedByRoot((RootId)r));
        for (int t = 0; t < g.TypeCount; t++)
            Assert.Equal(expected.Dominators.RetainedSizeOfType((TypeId)t), actual.Dominators.RetainedSizeOfType((TypeId)t));
    }
}
