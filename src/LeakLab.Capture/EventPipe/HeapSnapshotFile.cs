using System.Text;

namespace LeakLab.Capture.EventPipe;

/// <summary>
/// Saves a <see cref="HeapGraph"/> to a compact binary file and loads it back, so an EventPipe snapshot (which leaves no
/// dump behind) can be kept and compared with later ones. Any graph can be saved, whatever its source.
/// </summary>
/// <remarks>
/// Format (little-endian, <see cref="BinaryWriter"/> primitives, "varint" = 7-bit encoded, "zigzag" = sign folded into bit 0):
/// <c>"LLHG"</c>, int32 version (2; 1 is still read); the snapshot info (from version 2 with the process's memory:
/// presence byte, then seven int64 byte counts, -1 for unknown, and the optional GC-range source); int32 counts of nodes, edges, types, field names and roots; the type
/// and field names; per node: varint address delta from the previous node, varint type id, varint size, byte generation,
/// varint reference count; per reference: zigzag varint (target − source), zigzag varint field id; per root: byte kind,
/// name, varint node; (version 2) what the graph's own load could not read, so a snapshot saved from a partial load
/// still says so: a presence byte, then varint64 roots unresolved + 1 (0: not read), roots sources unread, events lost,
/// references dropped, and a presence byte before the heap damage (varint64 bad objects, bytes skipped, segments cut
/// short, heap bytes, dangling references); then the CRC-32 of everything before it. Deltas keep the file near 7 bytes per object plus 3–4 per
/// reference. Loading checks every count, id and index against the file before allocating or building anything, so a
/// corrupt or hostile file gives a one-line <see cref="LeakLabException"/>, never a huge allocation or a broken graph.
/// </remarks>
public static class HeapSnapshotFile
{
    /// <summary>The usual file extension, for LeakLab heap graph.</summary>
    public const string Extension = ".llhg";

    private static ReadOnlySpan<byte> Magic => "LLHG"u8;
    private const int FormatVersion = 2;
    // Version 1 lacks the process memory and the load report; everything else is the same.
    private const int OldestFormatVersion = 1;
    private const int MaxStringBytes = 1 << 20;
    // The fewest bytes a node (address, type, size, generation, count) and a reference (target, field) can take.
    private const int MinNodeBytes = 5;
    private const int MinEdgeBytes = 2;
    private const int MinRootBytes = 3;
    private const int MinStringBytes = 1;
    private const int ChecksumBytes = 4;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="graph"/> to <paramref name="path"/>, replacing an existing file.</summary>
    /// <exception cref="LeakLabException">The file cannot be written (missing folder, no permission, disk full).</exception>
    public static void Save(HeapGraph graph, string path)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            // Written beside the target and renamed, so a failed save never leaves half a snapshot under the real name.
            using (FileStream file = PrivateFile.Create(temp, FileMode.CreateNew, 1 << 16))
            {
                var crc = new Crc32Stream(file);
                using (var buffered = new BufferedStream(crc, 1 << 16))
                using (var writer = new BinaryWriter(buffered, s_strictUtf8, leaveOpen: true))
                {
                    Write(writer, graph);
                }
                Span<byte> checksum = stackalloc byte[ChecksumBytes];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(checksum, crc.Crc);
                file.Write(checksum);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"cannot save the heap snapshot to '{full}' ({DumpCapture.OneLine(ex.Message)}); choose a folder you can write to", ex);
        }
    }

    /// <summary>Reads a file written by <see cref="Save"/>. The graph's <see cref="SnapshotInfo.Path"/> is the file's path.</summary>
    /// <exception cref="LeakLabException">The file is missing, unreadable, not a LeakLab snapshot, truncated or corrupt.</exception>
    public static HeapGraph Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"{full} is a folder, not a heap snapshot file");
        if (!File.Exists(full))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"heap snapshot file not found: {full}; check the path");
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            long length = file.Length;
            if (length < Magic.Length + 4 + ChecksumBytes)
            {
                if (length >= Magic.Length && !StartsWithMagic(file))
                    throw NotASnapshot(full);
                throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{full} is truncated ({length:N0} bytes), not a complete heap snapshot; save it again");
            }
            var crc = new Crc32Stream(file, length - ChecksumBytes);
            HeapGraph graph;
            using (var buffered = new BufferedStream(crc, 1 << 16))
            using (var reader = new BinaryReader(buffered, s_strictUtf8, leaveOpen: true))
            {
                graph = new Reader(reader, full, length).Read();
                if (buffered.ReadByte() >= 0 || crc.BytesHashed != length - ChecksumBytes)
                    throw new InvalidDataException("unexpected bytes after the last root");
            }
            Span<byte> stored = stackalloc byte[ChecksumBytes];
            file.ReadExactly(stored);
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(stored) != crc.Crc)
                throw new InvalidDataException("checksum mismatch");
            return graph;
        }
        catch (EndOfStreamException ex)
        {
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{full} is truncated (it ends in the middle of the data); save the snapshot again", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException or ArgumentException or OverflowException)
        {
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{full} is corrupt ({DumpCapture.OneLine(ex.Message)}); save the snapshot again", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LeakLabException(LeakLabErrorKind.Permission, $"cannot read '{full}' ({DumpCapture.OneLine(ex.Message)}); check the file's permissions", ex);
        }
    }

    /// <summary>True when the file starts like a LeakLab heap snapshot (.llhg, told apart by content, not by name); false when it does not or cannot be read.</summary>
    public static bool IsSnapshot(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
            return file.Length >= Magic.Length && StartsWithMagic(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static bool StartsWithMagic(FileStream file)
    {
        Span<byte> head = stackalloc byte[4];
        file.Position = 0;
        file.ReadExactly(head);
        file.Position = 0;
        return head.SequenceEqual(Magic);
    }

    private static LeakLabException NotASnapshot(string path) =>
        new(LeakLabErrorKind.NotADump, $"{path} is not a LeakLab heap snapshot (it does not start with \"LLHG\"); pass a file saved by HeapSnapshotFile.Save");

    private static void Write(BinaryWriter w, HeapGraph graph)
    {
        w.Write(Magic);
        w.Write(FormatVersion);

        SnapshotInfo info = graph.Info;
        WriteString(w, info.SourceKind);
        WriteOptional(w, info.ProcessId);
        WriteOptionalString(w, info.ProcessName);
        WriteOptional(w, info.CapturedAt?.UtcTicks);
        WriteOptionalString(w, info.RuntimeVersion);
        w.Write(info.HasFieldNames);
        WriteMemory(w, info.ProcessMemory);

        // Only field ids that some reference uses are kept (the public API has no field count), renumbered densely.
        var fieldIds = new Dictionary<int, int>();
        var fieldNames = new List<string>();
        for (int v = 0; v < graph.NodeCount; v++)
        {
            foreach (int f in graph.ChildFields((NodeId)v))
            {
                if (f >= 0 && !fieldIds.ContainsKey(f))
                {
                    fieldIds.Add(f, fieldNames.Count);
                    fieldNames.Add(graph.FieldName((FieldId)f));
                }
            }
        }

        w.Write(graph.NodeCount);
        w.Write(graph.EdgeCount);
        w.Write(graph.TypeCount);
        w.Write(fieldNames.Count);
        w.Write(graph.Roots.Count);
        for (int t = 0; t < graph.TypeCount; t++)
            WriteString(w, graph.TypeName((TypeId)t));
        foreach (string field in fieldNames)
            WriteString(w, field);

        ulong previous = 0;
        for (int v = 0; v < graph.NodeCount; v++)
        {
            ulong address = graph.Address((NodeId)v);
            w.Write7BitEncodedInt64((long)(address - previous));
            previous = address;
            w.Write7BitEncodedInt(graph.TypeOf((NodeId)v));
            w.Write7BitEncodedInt64(graph.Size((NodeId)v));
            w.Write((byte)graph.GenerationOf((NodeId)v));
            w.Write7BitEncodedInt(graph.Children((NodeId)v).Length);
        }
        for (int v = 0; v < graph.NodeCount; v++)
        {
            ReadOnlySpan<NodeId> children = graph.Children((NodeId)v);
            ReadOnlySpan<FieldId> fields = graph.ChildFields((NodeId)v);
            for (int i = 0; i < children.Length; i++)
            {
                w.Write7BitEncodedInt64(ZigZag((long)children[i] - v));
                w.Write7BitEncodedInt64(ZigZag(fields[i] >= 0 ? fieldIds[fields[i]] : fields[i]));
            }
        }
        foreach (HeapRoot root in graph.Roots)
        {
            w.Write((byte)root.Kind);
            WriteString(w, root.Name);
            w.Write7BitEncodedInt(root.Node);
        }
        WriteLosses(w, info.Load);
    }

    /// <summary>Reads and checks one file; every failure is an InvalidDataException (or EndOfStream) the caller words.</summary>
    private sealed class Reader(BinaryReader r, string path, long fileLength)
    {
        public HeapGraph Read()
        {
            Span<byte> magic = stackalloc byte[4];
            r.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(Magic))
                throw NotASnapshot(path);
            int version = r.ReadInt32();
            if (version is < OldestFormatVersion or > FormatVersion)
                throw new LeakLabException(LeakLabErrorKind.NotADump, version > FormatVersion
                    ? $"{path} was saved by a newer LeakLab (snapshot format {version}, this one reads {FormatVersion}); update LeakLab"
                    : $"{path} has an unknown snapshot format version {version}; it is not a valid LeakLab heap snapshot");

            string sourceKind = ReadString();
            int? pid = ReadOptionalInt32();
            string? processName = ReadOptionalString();
            long? capturedTicks = ReadOptionalInt64();
            string? runtimeVersion = ReadOptionalString();
            bool hasFieldNames = r.ReadBoolean();
            ProcessMemory? memory = version >= 2 ? ReadMemory() : null;
            DateTimeOffset? capturedAt = null;
            if (capturedTicks is long ticks)
            {
                if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                    throw new InvalidDataException($"capture time {ticks} is out of range");
                capturedAt = new DateTimeOffset(ticks, TimeSpan.Zero);
            }

            int nodeCount = ReadCount("object");
            int edgeCount = ReadCount("reference");
            int typeCount = ReadCount("type");
            int fieldCount = ReadCount("field name");
            int rootCount = ReadCount("root");
            long needed = (long)nodeCount * MinNodeBytes + (long)edgeCount * MinEdgeBytes + (long)rootCount * MinRootBytes
                          + (long)(typeCount + fieldCount) * MinStringBytes;
            if (needed > fileLength)
                throw new EndOfStreamException();
            if (nodeCount > 0 && typeCount == 0)
                throw new InvalidDataException($"{nodeCount:N0} objects but no types");

            var builder = new HeapGraphBuilder(nodeCount, edgeCount);
            for (int t = 0; t < typeCount; t++)
            {
                if (builder.AddType(ReadString()) != t)
                    throw new InvalidDataException($"type {t} repeats an earlier type's name");
            }
            for (int f = 0; f < fieldCount; f++)
            {
                if (builder.AddField(ReadString()) != f)
                    throw new InvalidDataException($"field name {f} repeats an earlier one");
            }

            var childCounts = new int[nodeCount];
            long bytes = 0;
            ulong address = 0;
            long declaredEdges = 0;
            for (int v = 0; v < nodeCount; v++)
            {
                long delta = r.Read7BitEncodedInt64();
                if (delta <= 0 || (ulong)delta > ulong.MaxValue - address)
                    throw new InvalidDataException($"object {v}'s address does not ascend");
                address += (ulong)delta;
                int type = r.Read7BitEncodedInt();
                if ((uint)type >= (uint)typeCount)
                    throw new InvalidDataException($"object {v} has type id {type} of {typeCount}");
                long size = r.Read7BitEncodedInt64();
                if (size < 0)
                    throw new InvalidDataException($"object {v} has a negative size");
                byte generation = r.ReadByte();
                if (!Enum.IsDefined((Generation)generation))
                    throw new InvalidDataException($"object {v} has an unknown generation {generation}");
                int children = r.Read7BitEncodedInt();
                declaredEdges += children;
                if (children < 0 || declaredEdges > edgeCount)
                    throw new InvalidDataException($"object {v} has more references than the file declares ({edgeCount:N0})");
                childCounts[v] = children;
                bytes += size;
                builder.AddNode((TypeId)type, size, (Generation)generation, address);
            }
            if (declaredEdges != edgeCount)
                throw new InvalidDataException($"the objects own {declaredEdges:N0} references but the file declares {edgeCount:N0}");

            for (int v = 0; v < nodeCount; v++)
            {
                for (int i = childCounts[v]; i > 0; i--)
                {
                    long target = v + UnZigZag(r.Read7BitEncodedInt64());
                    if (target < 0 || target >= nodeCount)
                        throw new InvalidDataException($"a reference of object {v} points to object {target} of {nodeCount:N0}");
                    long field = UnZigZag(r.Read7BitEncodedInt64());
                    if (field >= fieldCount || field < FieldIds.DependentHandle)
                        throw new InvalidDataException($"a reference of object {v} has field id {field} of {fieldCount}");
                    builder.AddEdge((NodeId)v, (NodeId)((int)target), (FieldId)((int)field));
                }
            }

            for (int i = 0; i < rootCount; i++)
            {
                byte kind = r.ReadByte();
                if (!Enum.IsDefined((RootKind)kind))
                    throw new InvalidDataException($"root {i} has an unknown kind {kind}");
                string name = ReadString();
                int node = r.Read7BitEncodedInt();
                if ((uint)node >= (uint)nodeCount)
                    throw new InvalidDataException($"root {i} ('{name}') names object {node} of {nodeCount:N0}");
                builder.AddRoot((RootKind)kind, name, (NodeId)node);
            }
            LoadReport saved = version >= 2 ? ReadLosses() : new LoadReport { Source = "llhg" };

            // The file holds the graph whole (its counts and checksum were checked), so the load lost nothing.
            return builder.Build(new SnapshotInfo
            {
                Load = saved with { Source = "llhg", Objects = nodeCount, Bytes = bytes },
                SourceKind = sourceKind,
                Path = path,
                ProcessId = pid,
                ProcessName = processName,
                CapturedAt = capturedAt,
                RuntimeVersion = runtimeVersion,
                HasFieldNames = hasFieldNames,
                ProcessMemory = memory,
            });
        }

        /// <summary>What the saved graph's load lost (see <c>WriteLosses</c>); objects and bytes are counted from the file.</summary>
        private LoadReport ReadLosses()
        {
            if (!ReadPresence())
                return new LoadReport { Source = "llhg" };
            long unresolved = ReadCountOf("unresolved roots");
            var report = new LoadReport
            {
                Source = "llhg",
                RootsUnresolved = unresolved == 0 ? null : checked((int)(unresolved - 1)),
                RootSourcesUnread = checked((int)ReadCountOf("unread root sources")),
                EventsLost = ReadCountOf("lost events"),
                ReferencesDropped = ReadCountOf("dropped references"),
            };
            if (!ReadPresence())
                return report;
            return report with
            {
                Damage = new HeapDamage(checked((int)ReadCountOf("bad objects")), ReadCountOf("skipped bytes"),
                    checked((int)ReadCountOf("segments cut short")), ReadCountOf("heap bytes"), ReadCountOf("dangling references")),
            };
        }

        private long ReadCountOf(string what)
        {
            long count = r.Read7BitEncodedInt64();
            if (count < 0)
                throw new InvalidDataException($"negative count of {what}");
            return count;
        }

        private int ReadCount(string what)
        {
            int count = r.ReadInt32();
            if (count < 0)
                throw new InvalidDataException($"negative {what} count {count}");
            return count;
        }

        private string ReadString()
        {
            int bytes = r.Read7BitEncodedInt();
            if (bytes < 0 || bytes > MaxStringBytes || bytes > fileLength)
                throw new InvalidDataException($"a string claims {bytes:N0} bytes");
            byte[] data = r.ReadBytes(bytes);
            if (data.Length != bytes)
                throw new EndOfStreamException();
            return s_strictUtf8.GetString(data);
        }

        private string? ReadOptionalString() => ReadPresence() ? ReadString() : null;
        private int? ReadOptionalInt32() => ReadPresence() ? r.ReadInt32() : null;
        private long? ReadOptionalInt64() => ReadPresence() ? r.ReadInt64() : null;

        private ProcessMemory? ReadMemory()
        {
            if (!ReadPresence())
                return null;
            long[] v = new long[7];
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = r.ReadInt64();
                if (v[i] < -1)
                    throw new InvalidDataException($"a process memory size reads {v[i]}");
            }
            string? from = ReadOptionalString();
            return new ProcessMemory(v[0], v[1], v[2], v[3], v[4], v[5] < 0 ? null : v[5], v[6] < 0 ? null : v[6], from);
        }

        private bool ReadPresence() => r.ReadByte() switch
        {
            0 => false,
            1 => true,
            byte b => throw new InvalidDataException($"a presence flag reads {b}"),
        };
    }

    /// <summary>What a graph's load could not read, so the snapshot keeps saying it; see the format in the class remarks.</summary>
    private static void WriteLosses(BinaryWriter w, LoadReport? load)
    {
        w.Write((byte)(load is null ? 0 : 1));
        if (load is null)
            return;
        w.Write7BitEncodedInt64(load.RootsUnresolved is int unresolved ? unresolved + 1L : 0);
        w.Write7BitEncodedInt64(load.RootSourcesUnread);
        w.Write7BitEncodedInt64(load.EventsLost);
        w.Write7BitEncodedInt64(load.ReferencesDropped);
        w.Write((byte)(load.Damage is null ? 0 : 1));
        if (load.Damage is { } d)
        {
            w.Write7BitEncodedInt64(d.BadObjects);
            w.Write7BitEncodedInt64(d.BytesSkipped);
            w.Write7BitEncodedInt64(d.SegmentsCutShort);
            w.Write7BitEncodedInt64(d.HeapBytes);
            w.Write7BitEncodedInt64(d.DanglingReferences);
        }
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        byte[] bytes = s_strictUtf8.GetBytes(value);
        if (bytes.Length > MaxStringBytes)
            throw new ArgumentException($"a name of {bytes.Length:N0} bytes is too long to save (the limit is {MaxStringBytes:N0})");
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    private static void WriteOptionalString(BinaryWriter w, string? value)
    {
        w.Write((byte)(value is null ? 0 : 1));
        if (value is not null)
            WriteString(w, value);
    }

    private static void WriteMemory(BinaryWriter w, ProcessMemory? m)
    {
        w.Write((byte)(m is null ? 0 : 1));
        if (m is null)
            return;
        foreach (long v in (long[])[m.ResidentBytes, m.AnonymousBytes, m.FileBackedBytes, m.SwappedBytes, m.PeakResidentBytes, m.GcHeapBytes ?? -1, m.NonGcBytes ?? -1])
            w.Write(v);
        WriteOptionalString(w, m.GcRangesFrom);
    }

    private static void WriteOptional(BinaryWriter w, int? value)
    {
        w.Write((byte)(value is null ? 0 : 1));
        if (value is int v)
            w.Write(v);
    }

    private static void WriteOptional(BinaryWriter w, long? value)
    {
        w.Write((byte)(value is null ? 0 : 1));
        if (value is long v)
            w.Write(v);
    }

    private static long ZigZag(long value) => (value << 1) ^ (value >> 63);
    private static long UnZigZag(long value) => (long)((ulong)value >> 1) ^ -(value & 1);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}
