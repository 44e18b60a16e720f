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
    private bool _failed; // a pending index that could not be written: appends do nothing
    private MappedIndex? _map; // the whole file as it was when last mapped; sections appended later map it again

    private GraphIndexFile(string path, DumpIdentity identity, Dictionary<IndexSection, long> sections, long end, MappedIndex? map)
    {
        Path = path;
        _identity = identity;
        _sections = sections;
        _end = end;
        _map = map;
    }

    public string Path { get; private set; }

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
    /// <param name="direct">Write around the page cache (<see cref="DirectWriteStream"/>): for a writer that keeps the graph.</param>
    /// <exception cref="IOException">The folder is missing or not writable, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to write in the folder.</exception>
    public static GraphIndexFile Create(string path, DumpIdentity dump, HeapGraph graph, bool direct = false)
    {
        var index = new GraphIndexFile(path, dump, [], 0, map: null);
        index.Write(path, graph, direct);
        return index;
    }

    /// <summary>
    /// An index that <see cref="WriteFirst"/> will write on another thread; until then it has no sections, so reads
    /// find nothing and appends wait their turn behind it (see <see cref="IndexWriteBehind"/>).
    /// </summary>
    public static GraphIndexFile Pending(string path, DumpIdentity dump) => new(path, dump, [], 0, map: null);

    /// <summary>Writes a <see cref="Pending"/> index at the first of <paramref name="candidates"/> that takes it;
    /// false when none does (then appends to it do nothing).</summary>
    /// <param name="failure">Receives the first candidate's error when none could be written.</param>
    public bool WriteFirst(IReadOnlyList<string> candidates, HeapGraph graph, Action<string> createFolder, out string? failure)
    {
        failure = null;
        foreach (string candidate in candidates)
        {
            try
            {
                createFolder(System.IO.Path.GetDirectoryName(candidate)!);
                Write(candidate, graph, direct: true);
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure ??= ex.Message;
            }
        }
        _failed = true;
        return false;
    }

    private void Write(string path, HeapGraph graph, bool direct)
    {
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var sections = new Dictionary<IndexSection, long>();
        long end;
        try
        {
            FileStream created = PrivateFile.Create(temp, FileMode.Create, bufferSize: 1 << 20);
            Stream stream = created;
            if (direct)
            {
                created.Dispose(); // owner-only now; written around the page cache from here
                stream = DirectWriteStream.Open(temp, 0);
            }
            using (stream)
            {
                Span<byte> header = stackalloc byte[HeaderBytes];
                BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
                BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], ByteOrderMark);
                stream.Write(header);
                var writer = new IndexWriter(stream);
                sections[IndexSection.Identity] = stream.Position;
                writer.BeginSection(IndexSection.Identity);
                writer.Int64(_identity.Length);
                writer.Int64(_identity.WriteTicks);
                writer.Int64((long)_identity.HeadHash);
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
        lock (_sections)
        {
            Path = path;
            foreach ((IndexSection kind, long offset) in sections)
                _sections[kind] = offset;
            _end = end;
        }
    }

    /// <summary>Reads a stored section, or null when the index does not have it yet.</summary>
    /// <exception cref="IndexCorruptException">The section is damaged.</exception>
    public T? Read<T>(IndexSection kind, Func<IndexReader, T> read) where T : class
    {
        MappedIndex map;
        long offset;
        lock (_sections) // a writer thread may be appending (see IndexWriteBehind)
        {
            if (!_sections.TryGetValue(kind, out offset))
                return null;
            if (_map is null || _map.Length < _end)
                _map = MappedIndex.Map(Path); // appended since mapped (the old mapping stays valid for what it covers)
            map = _map;
        }
        using UnmanagedMemoryStream stream = map.Stream();
        var reader = new IndexReader(stream, map);
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
    /// <param name="direct">Write around the page cache (<see cref="DirectWriteStream"/>): for a writer that keeps what it writes.</param>
    public void Append(IndexSection kind, Func<IndexWriter, long> write, bool direct = false)
    {
        if (_failed)
            return;
        SkipCompleteSections();
        long offset = _end;
        using (FileStream cut = PrivateFile.Create(Path, FileMode.Open, bufferSize: 1))
            cut.SetLength(offset); // cuts only an unfinished append: nothing this or another reader maps lies past _end
        long section, end;
        using (Stream stream = direct ? DirectWriteStream.Open(Path, offset) : PrivateFile.Create(Path, FileMode.Open, bufferSize: 1 << 20))
        {
            stream.Position = offset;
            var writer = new IndexWriter(stream);
            section = write(writer);
            end = stream.Position;
        }
        lock (_sections)
        {
            _sections[kind] = section;
            _end = end;
        }
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
        lock (_sections)
        {
            foreach ((IndexSection kind, long offset) in sections)
                _sections[kind] = offset;
            _end = end;
        }
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
