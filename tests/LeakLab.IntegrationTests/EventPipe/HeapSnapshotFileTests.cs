using System.Buffers.Binary;
using System.Text;

namespace LeakLab.IntegrationTests.EventPipe;

/// <summary>
/// Round trips of hand-built graphs through <see cref="HeapSnapshotFile"/>, and the one-line errors for files that are
/// missing, foreign, truncated, corrupt or hostile.
/// </summary>
public sealed class HeapSnapshotFileTests : IDisposable
{
    private readonly TempFolder _folder = new("leaklab-llhg");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_graph_with_every_kind_of_node_edge_and_root_round_trips()
    {
        HeapGraph graph = Sample();
        HeapGraph loaded = SaveAndLoad(graph, "all.llhg");

        AssertSameGraph(graph, loaded);
        Assert.Equal(_folder.File("all.llhg"), loaded.Info.Path);
        Assert.Equal(graph.Info with { Path = loaded.Info.Path, Load = loaded.Info.Load }, loaded.Info);
        Assert.Equal(5L << 30, loaded.Size((NodeId)3)); // beyond uint
        // The file is read whole or not at all: its load report counts it and is clean.
        LoadReport load = loaded.Info.Load!;
        Assert.Equal("llhg", load.Source);
        Assert.True(load.IsClean, load.ToString());
        Assert.Equal(graph.NodeCount, load.Objects);
        Assert.Equal(Enumerable.Range(0, graph.NodeCount).Sum(v => graph.Size((NodeId)v)), load.Bytes);
    }

    [Fact]
    public void What_a_partial_load_lost_is_kept_in_the_file()
    {
        var b = new HeapGraphBuilder();
        b.AddRoot(RootKind.StaticField, "A.B", b.AddNode("T", 48));
        var lost = new LoadReport
        {
            Source = "dump", Objects = 1, Bytes = 48, RootsUnresolved = 3, RootSourcesUnread = 1, EventsLost = 0,
            ReferencesDropped = 9, Damage = new HeapDamage(4, 4_096, 1, 1 << 20, 9),
        };
        HeapGraph loaded = SaveAndLoad(b.Build(SnapshotInfo.HandBuilt() with { SourceKind = "dump", Load = lost }), "lossy.llhg");

        // Saved from a dump read in part, the snapshot still says so: a .llhg never turns a partial heap into a whole one.
        Assert.Equal(lost with { Source = "llhg" }, loaded.Info.Load);
        Assert.False(loaded.Info.Load!.IsClean);
    }

    [Fact]
    public void An_empty_graph_round_trips()
    {
        HeapGraph empty = new HeapGraphBuilder().Build(SnapshotInfo.HandBuilt());
        HeapGraph loaded = SaveAndLoad(empty, "empty.llhg");
        Assert.Equal(0, loaded.NodeCount);
        Assert.Equal(0, loaded.EdgeCount);
        Assert.Empty(loaded.Roots);
        Assert.Equal("test", loaded.Info.SourceKind);
        Assert.True(loaded.Info.HasFieldNames);
        Assert.Null(loaded.Info.ProcessId);
        Assert.Null(loaded.Info.CapturedAt);
    }

    [Fact]
    public void A_larger_generated_graph_round_trips_and_analyses_the_same()
    {
        var random = new Random(12345);
        var b = new HeapGraphBuilder();
        int[] types = [.. Enumerable.Range(0, 40).Select(i => b.AddType($"Ns.Type{i}<System.Int32>"))];
        int[] fields = [.. Enumerable.Range(0, 10).Select(i => b.AddField($"_f{i}"))];
        ulong address = 0x7f00_0000_0000;
        const int n = 20_000;
        for (int i = 0; i < n; i++)
        {
            address += (ulong)(24 + 8 * random.Next(0, 200));
            b.AddNode((TypeId)types[random.Next(types.Length)], 24 + random.Next(0, 100_000), (Generation)random.Next(0, 6), address);
        }
        for (int v = 0; v < n; v++)
        {
            for (int k = random.Next(0, 4); k > 0; k--)
                b.AddEdge((NodeId)v, (NodeId)(random.Next(n)), (FieldId)(random.Next(3) == 0 ? FieldIds.ArrayElement : fields[random.Next(fields.Length)]));
        }
        for (int r = 0; r < 50; r++)
            b.AddRoot(RootKind.StaticField, $"Ns.Holder{r}.s_items", (NodeId)(random.Next(n)));
        HeapGraph graph = b.Build(new SnapshotInfo { SourceKind = "eventpipe", ProcessId = 42, CapturedAt = DateTimeOffset.UtcNow });

        HeapGraph loaded = SaveAndLoad(graph, "big.llhg");
        AssertSameGraph(graph, loaded);

        var before = new HeapAnalysis(graph).TypeStats(withRetained: true);
        var after = new HeapAnalysis(loaded).TypeStats(withRetained: true);
        Assert.Equal(before, after);
        long bytesPerObject = new FileInfo(_folder.File("big.llhg")).Length / n;
        Assert.InRange(bytesPerObject, 5, 30);
    }

    [Fact]
    public void Saving_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        string path = _folder.File("twice.llhg");
        File.WriteAllText(path, "old");
        HeapSnapshotFile.Save(Sample(), path);
        HeapSnapshotFile.Save(Sample(), path);
        Assert.Equal(5, HeapSnapshotFile.Load(path).NodeCount);
        Assert.Equal(["twice.llhg"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_into_a_missing_folder_says_so()
    {
        string path = _folder.File("nope/x.llhg");
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Save(Sample(), path));
        Assert.Equal(LeakLabErrorKind.WriteFailed, ex.Kind);
        AssertOneLine(ex);
    }

    [Fact]
    public void A_missing_file_and_a_folder_are_named()
    {
        string missing = _folder.File("missing.llhg");
        LeakLabException notFound = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(missing));
        Assert.Equal(LeakLabErrorKind.FileMissing, notFound.Kind);
        Assert.Contains(missing, notFound.Message);
        LeakLabException folder = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(_folder.Path));
        Assert.Equal(LeakLabErrorKind.FileMissing, folder.Kind);
        Assert.Contains(_folder.Path, folder.Message);
    }

    [Fact]
    public void A_foreign_file_is_not_a_snapshot()
    {
        string path = _folder.File("notes.llhg");
        File.WriteAllText(path, "this is a text file, long enough to have a header");
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.NotADump, ex.Kind);
    }

    [Fact]
    public void Every_truncation_of_a_snapshot_is_rejected_in_one_line()
    {
        byte[] bytes = Bytes(Sample());
        for (int length = 0; length < bytes.Length; length++)
        {
            string path = _folder.File($"cut-{length}.llhg");
            File.WriteAllBytes(path, bytes[..length]);
            var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
            Assert.StartsWith(path, ex.Message);
            Assert.Contains(ex.Kind, new[] { LeakLabErrorKind.TruncatedOrCorrupt, LeakLabErrorKind.NotADump });
            AssertOneLine(ex);
        }
    }

    [Fact]
    public void Every_flipped_byte_is_caught()
    {
        byte[] bytes = Bytes(Sample());
        string path = _folder.File("flipped.llhg");
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x5A;
            File.WriteAllBytes(path, copy);
            var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
            Assert.Contains(ex.Kind, new[] { LeakLabErrorKind.TruncatedOrCorrupt, LeakLabErrorKind.NotADump });
            AssertOneLine(ex);
        }
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_corrupt()
    {
        byte[] bytes = Bytes(Sample());
        string path = _folder.File("extra.llhg");
        File.WriteAllBytes(path, [.. bytes, 0, 0, 0, 0]);
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, ex.Kind);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        byte[] bytes = Bytes(Sample());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 99);
        string path = _folder.File("v99.llhg");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.NotADump, ex.Kind);
        Assert.Contains("update LeakLab", ex.Message); // the one thing to do
    }

    // Crafted files with a valid checksum: the structure itself is checked, not only the CRC.

    [Fact]
    public void A_hostile_object_count_is_refused_before_allocating()
    {
        string path = Crafted("huge.llhg", w => Counts(w, nodes: int.MaxValue, edges: int.MaxValue, types: 0, fields: 0, roots: 0));
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, ex.Kind);
    }

    [Fact]
    public void A_reference_to_a_missing_object_is_corrupt()
    {
        string path = Crafted("dangling.llhg", w =>
        {
            Counts(w, nodes: 1, edges: 1, types: 1, fields: 0, roots: 0);
            WriteName(w, "T");
            w.Write7BitEncodedInt64(0x1000); // address
            w.Write7BitEncodedInt(0);        // type
            w.Write7BitEncodedInt64(24);     // size
            w.Write((byte)Generation.Gen2);
            w.Write7BitEncodedInt(1);        // one reference
            w.Write7BitEncodedInt64(10);     // zigzag(+5): object 5 of 1
            w.Write7BitEncodedInt64(1);      // zigzag(-1): FieldIds.Unknown
        });
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, ex.Kind);
        Assert.Contains("(a reference of object 0 points to object 5 of 1)", ex.Message); // which check caught it
    }

    [Fact]
    public void Addresses_that_do_not_ascend_are_corrupt()
    {
        string path = Crafted("order.llhg", w =>
        {
            Counts(w, nodes: 2, edges: 0, types: 1, fields: 0, roots: 0);
            WriteName(w, "T");
            foreach (long delta in new long[] { 0x1000, 0 })
            {
                w.Write7BitEncodedInt64(delta);
                w.Write7BitEncodedInt(0);
                w.Write7BitEncodedInt64(24);
                w.Write((byte)Generation.Gen0);
                w.Write7BitEncodedInt(0);
            }
        });
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, ex.Kind);
        Assert.Contains("(object 1's address does not ascend)", ex.Message);
    }

    [Fact]
    public void A_root_of_an_unknown_kind_is_corrupt()
    {
        string path = Crafted("rootkind.llhg", w =>
        {
            Counts(w, nodes: 1, edges: 0, types: 1, fields: 0, roots: 1);
            WriteName(w, "T");
            w.Write7BitEncodedInt64(0x1000);
            w.Write7BitEncodedInt(0);
            w.Write7BitEncodedInt64(24);
            w.Write((byte)Generation.Gen0);
            w.Write7BitEncodedInt(0);
            w.Write((byte)200);
            WriteName(w, "root");
            w.Write7BitEncodedInt(0);
        });
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotFile.Load(path));
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, ex.Kind);
        Assert.Contains("(root 0 has an unknown kind 200)", ex.Message);
    }

    /// <summary>Five objects in three generations (one of 5 GiB), named and unnamed references, and roots of several kinds.</summary>
    private static HeapGraph Sample()
    {
        var b = new HeapGraphBuilder();
        NodeId holder = b.AddNode("LeakLab.Sample.OrderCache", 24, Generation.Gen2);
        NodeId dict = b.AddNode("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>", 80, Generation.Gen2);
        NodeId entries = b.AddNode("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>+Entry[]", 4096, Generation.Large);
        NodeId huge = b.AddNode("System.Byte[]", 5L << 30, Generation.Large);
        NodeId text = b.AddNode("System.String", 42, Generation.Gen0);
        b.AddEdge(dict, entries, "_entries");
        b.AddEdge(entries, huge, (FieldId)FieldIds.ArrayElement);
        b.AddEdge(entries, text, (FieldId)FieldIds.ArrayElement);
        b.AddEdge(holder, dict, (FieldId)FieldIds.Unknown);
        b.AddEdge(huge, text, (FieldId)FieldIds.DependentHandle);
        b.AddRoot(RootKind.StaticField, "LeakLab.Sample.OrderCache.Entries", dict);
        b.AddRoot(RootKind.ThreadStack, "thread 1 (os 0x2a): Program.Main \"quoted\" ünïcode", holder);
        b.AddRoot(RootKind.PinnedHandle, "pinned handle 0x7f00", text);
        return b.Build(new SnapshotInfo
        {
            SourceKind = "eventpipe",
            ProcessId = 1234,
            ProcessName = "LeakLab.Sample",
            CapturedAt = new DateTimeOffset(2026, 5, 1, 12, 30, 15, TimeSpan.Zero).AddTicks(1234567),
            RuntimeVersion = "10.0.12",
            HasFieldNames = false,
            ProcessMemory = new ProcessMemory(300L << 20, 200L << 20, 100L << 20, 0, 310L << 20, 150L << 20, 50L << 20, "eventpipe"),
        });
    }

    private static void AssertSameGraph(HeapGraph expected, HeapGraph actual)
    {
        Assert.Equal(expected.NodeCount, actual.NodeCount);
        Assert.Equal(expected.EdgeCount, actual.EdgeCount);
        Assert.Equal(expected.TypeCount, actual.TypeCount);
        for (int t = 0; t < expected.TypeCount; t++)
            Assert.Equal(expected.TypeName((TypeId)t), actual.TypeName((TypeId)t));
        for (int v = 0; v < expected.NodeCount; v++)
        {
            Assert.Equal(expected.Address((NodeId)v), actual.Address((NodeId)v));
            Assert.Equal(expected.TypeOf((NodeId)v), actual.TypeOf((NodeId)v));
            Assert.Equal(expected.Size((NodeId)v), actual.Size((NodeId)v));
            Assert.Equal(expected.GenerationOf((NodeId)v), actual.GenerationOf((NodeId)v));
            Assert.Equal(expected.Children((NodeId)v).ToArray(), actual.Children((NodeId)v).ToArray());
            Assert.Equal(Fields(expected, v), Fields(actual, v));
        }
        Assert.Equal(expected.Roots, actual.Roots);
    }

    private static string[] Fields(HeapGraph g, int v) => [.. g.ChildFields((NodeId)v).ToArray().Select(g.FieldName)];

    private HeapGraph SaveAndLoad(HeapGraph graph, string name)
    {
        string path = _folder.File(name);
        HeapSnapshotFile.Save(graph, path);
        return HeapSnapshotFile.Load(path);
    }

    private byte[] Bytes(HeapGraph graph)
    {
        string path = _folder.File($"bytes-{Guid.NewGuid():N}.llhg");
        HeapSnapshotFile.Save(graph, path);
        return File.ReadAllBytes(path);
    }

    /// <summary>A file in the documented format: header, a minimal snapshot info, the body, and a correct CRC-32.</summary>
    private string Crafted(string name, Action<BinaryWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("LLHG"u8);
            w.Write(1);
            WriteName(w, "test");
            w.Write((byte)0); // no pid
            w.Write((byte)0); // no process name
            w.Write((byte)0); // no capture time
            w.Write((byte)0); // no runtime version
            w.Write(true);    // has field names
            body(w);
        }
        byte[] data = stream.ToArray();
        byte[] file = new byte[data.Length + 4];
        data.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(data.Length), Crc32(data));
        string path = _folder.File(name);
        File.WriteAllBytes(path, file);
        return path;
    }

    private static void Counts(BinaryWriter w, int nodes, int edges, int types, int fields, int roots)
    {
        w.Write(nodes);
        w.Write(edges);
        w.Write(types);
        w.Write(fields);
        w.Write(roots);
    }

    private static void WriteName(BinaryWriter w, string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    /// <summary>CRC-32 (IEEE), bit by bit: slow and obviously right, as a test oracle should be.</summary>
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    private static void AssertOneLine(Exception ex) => Assert.DoesNotContain('\n', ex.Message);
}
