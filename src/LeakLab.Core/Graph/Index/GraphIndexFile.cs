using System.Buffers.Binary;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// One index file on disk: a 16-byte header (magic, format version, byte-order mark), then checksummed sections:
/// the dump's identity, the graph, and later the retention paths and dominator tree as they are first computed
/// (appended; when a section appears twice the last one counts).
/// </summary>
internal sealed class GraphIndexFile
{
    private const ulong Magic = 0x5844_4947_4C4C_6B4C; // "LkLLGIDX" little-endian
    /// <summary>Bumped whenever a payload changes shape: an index of another version is rebuilt.</summary>
    private const int FormatVersion = 4; // 3: arrays in sections of their own, mapped on reopen; 4: path shapes mapped, with per-shape tallies
    private const uint ByteOrderMark = 0x0102_0304;
    private const int HeaderBytes = 16;

    private readonly Dictionary<IndexSection, long> _sections;

    private readonly DumpIdentity _identity;
    private long _end; // where the last complete section ends: appends go here
    private MappedIndex? _map; // the whole file as it was when last mapped; sections appended later map it again

    private GraphIndexFile(string path, DumpIdentity identity, Dictionary<IndexSection, long> sections, long end, MappedIndex? map)
    {
        Path = path;
        _identity = identity;
        _sections = sections;
        _end = end;
        _map = map;
    }

    public string Path { get; }

    /// <summary>Opens an index and reads its graph; throws <see cref="IndexCorruptException"/> or
    /// <see cref="IndexStaleException"/> when it cannot serve <paramref name="dump"/>.</summary>
    public static GraphIndexFile Open(string path, DumpIdentity dump, string dumpPath, out HeapGraph graph) =>
        Open(path, dump, dumpPath, infoOnly: false, out graph!, out _);

    /// <summary>Only the <see cref="SnapshotInfo"/> of an index that matches <paramref name="dump"/>: the arrays are
    /// neither read nor checked (a full <see cref="Open(string, DumpIdentity, string, out HeapGraph)"/> checks them).</summary>
    public static SnapshotInfo ReadInfo(string path, DumpIdentity dump, string dumpPath)
    {
        Open(path, dump, dumpPath, infoOnly: true, out _, out SnapshotInfo? info);
        return info!;
    }

    private static GraphIndexFile Open(string path, DumpIdentity dump, string dumpPath, bool infoOnly, out HeapGraph? graph, out SnapshotInfo? info)
    {
        MappedIndex map = MappedIndex.Map(path);
        using UnmanagedMemoryStream stream = map.Stream();
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes
            || BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
            throw new IndexCorruptException("not a LeakLab index");
        if (BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != FormatVersion
            || BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != ByteOrderMark)
            throw new IndexStaleException("it was written by another version of LeakLab");

        var reader = new IndexReader(stream, map);
        Dictionary<IndexSection, long> sections = ScanSections(stream, reader, out long end);
        if (!sections.TryGetValue(IndexSection.Identity, out long identityAt) || !sections.TryGetValue(IndexSection.Graph, out long graphAt))
            throw new IndexCorruptException("it has no graph");

        if (ReadIdentity(reader, identityAt) != dump)
            throw new IndexStaleException("the dump changed since it was written");

        reader.BeginSection(graphAt, IndexSection.Graph);
        if (infoOnly)
        {
            info = GraphCodec.ReadInfo(reader, dumpPath);
            graph = null;
        }
        else
        {
            graph = GraphCodec.ReadGraph(reader, dumpPath);
            info = graph.Info;
            reader.EndSection();
        }
        return new GraphIndexFile(path, dump, sections, end, map);
    }

    /// <summary>Writes a new index for <paramref name="graph"/> at <paramref name="path"/>, owner-only, replacing
    /// any file there in one rename so a reader never sees half a file.</summary>
    /// <exception cref="IOException">The folder is missing or not writable, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write in the folder.</exception>
    public static GraphIndexFile Create(string path, DumpIdentity dump, HeapGraph graph)
    {
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var sections = new Dictionary<IndexSection, long>();
        long end;
        try
        {
            using (FileStream stream = PrivateFile.Create(temp, FileMode.Create, bufferSize: 1 << 20))
            {
                Span<byte> header = stackalloc byte[HeaderBytes];
                BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
                BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], ByteOrderMark);
                stream.Write(header);
                var writer = new IndexWriter(stream);
                sections[IndexSection.Identity] = stream.Position;
                writer.BeginSection(IndexSection.Identity);
                writer.Int64(dump.Length);
                writer.Int64(dump.WriteTicks);
                writer.Int64((long)dump.HeadHash);
                writer.EndSection();
                sections[IndexSection.Graph] = GraphCodec.WriteGraph(writer, graph);
                end = stream.Position;
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new GraphIndexFile(path, dump, sections, end, map: null);
    }

    /// <summary>Reads a stored section, or null when the index does not have it yet.</summary>
    /// <exception cref="IndexCorruptException">The section is damaged.</exception>
    public T? Read<T>(IndexSection kind, Func<IndexReader, T> read) where T : class
    {
        if (!_sections.TryGetValue(kind, out long offset))
            return null;
        if (_map is null || _map.Length < _end)
            _map = MappedIndex.Map(Path); // appended since mapped (the old mapping stays valid for what it covers)
        using UnmanagedMemoryStream stream = _map.Stream();
        var reader = new IndexReader(stream, _map);
        reader.BeginSection(offset, kind);
        T value = read(reader);
        reader.EndSection();
        return value;
    }

    /// <summary>Appends a section; a later <see cref="Read{T}"/> of its kind reads it.</summary>
    /// <remarks>Sections another process appended since this one opened the file are kept (and become readable
    /// here); the remains of an append that did not finish are cut off first.</remarks>
    /// <exception cref="IOException">The file cannot be written (read-only now, disk full).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write the file.</exception>
    /// <param name="write">Writes the section (its arrays first) and returns the offset of the section of <paramref name="kind"/>.</param>
    public void Append(IndexSection kind, Func<IndexWriter, long> write)
    {
        SkipCompleteSections();
        using FileStream stream = PrivateFile.Create(Path, FileMode.Open, bufferSize: 1 << 20);
        long offset = _end;
        stream.SetLength(offset); // cuts only an unfinished append: nothing this or another reader maps lies past _end
        stream.Position = offset;
        var writer = new IndexWriter(stream);
        _sections[kind] = write(writer);
        _end = stream.Position;
    }

    /// <summary>
    /// Reads the section frames again from the start: another process may have appended, or left an unfinished
    /// append. An index that now belongs to another dump (rebuilt since) is not added to.
    /// </summary>
    private void SkipCompleteSections()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 4096);
        var reader = new IndexReader(stream);
        Dictionary<IndexSection, long> sections = ScanSections(stream, reader, out long end);
        if (!sections.TryGetValue(IndexSection.Identity, out long identityAt) || ReadIdentity(reader, identityAt) != _identity)
            throw new IndexStaleException("it was rebuilt for a changed dump");
        foreach ((IndexSection kind, long offset) in sections)
            _sections[kind] = offset;
        _end = end;
    }

    /// <summary>
    /// The offset of each section's frame (the last of a kind wins) and where the last complete one ends. A frame cut
    /// short ends the scan: an append that did not finish, which the next append replaces.
    /// </summary>
    private static Dictionary<IndexSection, long> ScanSections(Stream stream, IndexReader reader, out long end)
    {
        var sections = new Dictionary<IndexSection, long>();
        end = stream.Position = HeaderBytes;
        try
        {
            while (reader.NextSection() is { } s && Enum.IsDefined(s.Kind))
            {
                sections[s.Kind] = s.Offset;
                end = stream.Position = s.Offset + 16 + s.Length;
            }
        }
        catch (IndexCorruptException)
        {
            // the frame at `end` is cut short
        }
        return sections;
    }

    private static DumpIdentity ReadIdentity(IndexReader reader, long offset)
    {
        reader.BeginSection(offset, IndexSection.Identity);
        var identity = new DumpIdentity(reader.Int64(), reader.Int64(), (ulong)reader.Int64());
        reader.EndSection();
        return identity;
    }
}
