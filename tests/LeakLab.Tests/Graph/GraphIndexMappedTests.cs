using System.Buffers.Binary;

namespace LeakLab.Tests.Graph;

/// <summary>
/// The memory-mapped reader of the graph index (issue 13.1): big array sections are checked on first use, not on
/// open, so a damaged one is found when a query reads it (and the index is removed for the next run); small ones are
/// checked on open; a stale index is rebuilt while a graph mapped from the old file stays readable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GraphIndexMappedTests : IDisposable
{
    // Above the 1 MiB of an array the reader checks on open: 8 bytes of address per node make 1.6 MB.
    private const int Nodes = 200_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-mapped-").FullName;
    private readonly string _dump;
    private readonly List<string> _notes = [];
    private int _walks;

    public GraphIndexMappedTests()
    {
        _dump = Path.Combine(_dir, "core.7");
        File.WriteAllBytes(_dump, Enumerable.Range(0, 70_000).Select(i => (byte)(i * 13)).ToArray());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sidecar => _dump + ".llidx";

    private static ulong AddressOf(int node) => 0x7f00_0000_0000UL + (ulong)node * 0x18;

    /// <summary>Chains of 100 nodes under one static root each, two types; addresses ascending.</summary>
    private static HeapGraph Chains()
    {
        var b = new HeapGraphBuilder();
        TypeId head = b.AddType("App.Head"), link = b.AddType("App.Link");
        FieldId next = b.AddField("_next");
        NodeId prev = NodeId.None;
        for (int v = 0; v < Nodes; v++)
        {
            NodeId node = b.AddNode(v % 100 == 0 ? head : link, 24, Generation.Gen2, AddressOf(v));
            if (v % 100 == 0)
                b.AddRoot(RootKind.StaticField, $"App.Holder.Chain{v / 100}", node);
            else
                b.AddEdge(prev, node, next);
            prev = node;
        }
        return b.Build(new SnapshotInfo { SourceKind = "dump", HasFieldNames = true });
    }

    private HeapGraph Open() => GraphIndex.Open(_dump, () =>
    {
        _walks++;
        return Chains();
    }, _notes.Add);

    [Fact]
    public void Damaged_big_section_is_found_when_read_and_the_index_is_removed_for_the_next_run()
    {
        var first = new HeapAnalysis(Open());
        _ = first.Paths; // the index now holds the graph and the retention paths
        FlipByteOf(AddressOf(Nodes / 2)); // inside the addresses' section (1.6 MB: checked on first use)

        HeapGraph reopened = Open();
        Assert.Equal(1, _walks); // opening does not read the addresses, so it does not see the damage
        Assert.Empty(_notes);
        Assert.Equal(Nodes, reopened.NodeCount);
        Assert.Equal("App.Link", reopened.NodeTypeName((NodeId)5)); // other sections serve as usual

        var error = Assert.Throws<LeakLabException>(() => reopened.FindNode(AddressOf(7)));
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, error.Kind);
        Assert.False(File.Exists(Sidecar));

        HeapGraph rebuilt = Open(); // the next run walks the dump again and writes a good index
        Assert.Equal(2, _walks);
        Assert.Equal((NodeId)7, rebuilt.FindNode(AddressOf(7)));
        Assert.Equal((NodeId)7, Open().FindNode(AddressOf(7)));
        Assert.Equal(2, _walks);
    }

    [Fact]
    public void Reopened_graph_and_paths_read_the_mapped_sections()
    {
        var first = new HeapAnalysis(Open());
        IReadOnlyList<RetentionPath> expected = first.Paths.PathsToAddress(AddressOf(Nodes - 1));
        var second = new HeapAnalysis(Open());
        Assert.Equal(1, _walks);
        RetentionPath path = Assert.Single(second.Paths.PathsToAddress(AddressOf(Nodes - 1)));
        Assert.Equal(Assert.Single(expected).Shape, path.Shape);
        Assert.Equal($"App.Holder.Chain{(Nodes - 1) / 100}", path.RootName);
        Assert.Equal(first.Paths.ReachableObjectCount, second.Paths.ReachableObjectCount);
        Assert.Equal(first.Dominators.RetainedSize((NodeId)(Nodes - 100)), second.Dominators.RetainedSize((NodeId)(Nodes - 100)));
        Assert.Equal(100 * 24, second.Dominators.RetainedSize((NodeId)(Nodes - 100)));
        Assert.Equal(Assert.Single(first.Graph.FindTypes("App.Link")), Assert.Single(second.Graph.FindTypes("App.Link")));
    }

    [Fact]
    public void Stale_index_is_rebuilt_while_a_graph_mapped_from_the_old_file_stays_readable()
    {
        Open();
        HeapGraph mapped = Open();
        Assert.Equal(1, _walks);
        File.SetLastWriteTimeUtc(_dump, DateTime.UtcNow.AddMinutes(-3)); // a rewritten dump

        HeapGraph rebuilt = Open(); // replaces the index file the first graph is mapped from
        Assert.Equal(2, _walks);
        Assert.Contains("out of date", Assert.Single(_notes));
        Assert.Equal((NodeId)12_345, mapped.FindNode(AddressOf(12_345)));
        Assert.Equal((NodeId)12_345, rebuilt.FindNode(AddressOf(12_345)));
        Assert.Equal(Open().EdgeCount, mapped.EdgeCount);
        Assert.Equal(2, _walks);
    }

    /// <summary>Flips one bit of the index where the little-endian <paramref name="value"/> is stored (it occurs once).</summary>
    private void FlipByteOf(ulong value)
    {
        byte[] bytes = File.ReadAllBytes(Sidecar);
        byte[] needle = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(needle, value);
        int at = bytes.AsSpan().IndexOf(needle);
        Assert.True(at > 0);
        Assert.Equal(-1, bytes.AsSpan(at + 1).IndexOf(needle));
        bytes[at + 1] ^= 0x10;
        File.WriteAllBytes(Sidecar, bytes);
    }
}
