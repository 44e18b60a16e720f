using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// A graph index file mapped read-only into memory: array sections become <see cref="Column{T}"/>s over the mapping,
/// so reopening a dump costs what a command reads, not the size of its graph.
/// </summary>
/// <remarks>
/// A mapping is never unmapped: spans handed out over it may outlive every object that refers to it (the JIT ends a
/// reference's life at its last use), and unmapping under a live span would crash the process. It costs address
/// space only (the kernel drops clean pages under pressure); on Linux a replaced or deleted index file stays readable
/// through its mapping, so a rebuild by another process never pulls pages from under this one.
/// </remarks>
internal sealed unsafe class MappedIndex
{
    /// <summary>Arrays up to this size are checked when opened (cheap); larger ones block by block on first read.</summary>
    internal const long EagerCheckBytes = 1 << 20;
    /// <summary>The unit of checking: one CRC-32C per 64 KiB of an array (about 10 µs to check).</summary>
    internal const int BlockBytes = 1 << 16;

    private static readonly List<MemoryMappedViewAccessor> Live = [];
    private static readonly List<(nint Base, nuint Length)> LiveRanges = []; // page-aligned, for ReleaseResidentPages

    private MappedIndex(string path, byte* start, long length)
    {
        Path = path;
        Start = start;
        Length = length;
    }

    public string Path { get; }
    public byte* Start { get; }
    public long Length { get; }

    public static int BlockCount(long bytes) => checked((int)((bytes + BlockBytes - 1) / BlockBytes));

    /// <exception cref="IOException">The file cannot be mapped.</exception>
    public static MappedIndex Map(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        long length = stream.Length;
        using MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        MemoryMappedViewAccessor view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        lock (Live)
        {
            Live.Add(view); // see remarks: never released
            LiveRanges.Add(((nint)pointer, (nuint)(view.PointerOffset + length)));
        }
        return new MappedIndex(path, pointer + view.PointerOffset, length);
    }

    /// <summary>
    /// Lets the kernel take back the pages of every mapping this process has read so far: they leave the resident set
    /// (and its peak) and are read again from the page cache or the file on the next touch, with the same bytes. For
    /// phases that swept a whole column and will not read it again soon (the DFS of the dominator tree over the
    /// references). Does nothing where it is not supported.
    /// </summary>
    public static void ReleaseResidentPages()
    {
        if (!OperatingSystem.IsLinux())
            return;
        lock (Live)
        {
            foreach ((nint start, nuint length) in LiveRanges)
                _ = Madvise(start, length, DontNeed); // a failure only leaves the pages resident
        }
    }

    private const int DontNeed = 4; // MADV_DONTNEED: on a shared file mapping, later reads refault from the file

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(nint address, nuint length, int advice);

    /// <summary>A stream over the whole mapping, for the small sections read with <see cref="IndexReader"/>.</summary>
    public UnmanagedMemoryStream Stream() => new(Start, Length);

    /// <summary>The array section whose frame starts at <paramref name="offset"/> as a column of <typeparamref name="T"/>.</summary>
    /// <exception cref="IndexCorruptException">No array section there, or a small one that fails its checksum.</exception>
    public Column<T> Column<T>(long offset) where T : unmanaged
    {
        if (offset < 0 || offset % 8 != 0 || offset > Length - 24)
            throw new IndexCorruptException("an array section is out of place");
        var frame = new ReadOnlySpan<byte>(Start + offset, 24);
        long sectionBytes = BinaryPrimitives.ReadInt64LittleEndian(frame[8..]);
        long bytes = BinaryPrimitives.ReadInt64LittleEndian(frame[16..]);
        if ((IndexSection)BinaryPrimitives.ReadUInt32LittleEndian(frame) != IndexSection.Array
            || bytes < 0 || bytes % sizeof(T) != 0 || bytes / sizeof(T) > Array.MaxLength || sectionBytes > Length - offset - 16
            || sectionBytes != 8 + (bytes + 7) / 8 * 8 + 4L * BlockCount(bytes))
            throw new IndexCorruptException("an array section does not fit its file");
        byte* data = Start + offset + 24;
        var section = new MappedSection(Path, data, bytes, (uint*)(data + (bytes + 7) / 8 * 8));
        if (bytes <= EagerCheckBytes)
        {
            for (int b = 0; b < BlockCount(bytes); b++)
            {
                if (!section.Matches(b))
                    throw new IndexCorruptException("checksum mismatch");
            }
            section = null;
        }
        return new Column<T>((T*)data, (int)(bytes / sizeof(T)), section);
    }
}

/// <summary>
/// A big array section of a mapped index, checked block by block as its column reads it, so a damaged block is never
/// used; then the index is removed and the command stops with one line saying to run it again (it cannot swap its
/// arrays midway). Checking what is read, not the whole file, is what keeps a reopen's cost to the pages it needs.
/// </summary>
internal sealed unsafe class MappedSection(string path, byte* data, long bytes, uint* blockChecksums)
{
    public int Blocks => MappedIndex.BlockCount(bytes);

    public bool Matches(int block)
    {
        long at = (long)block * MappedIndex.BlockBytes;
        var span = new ReadOnlySpan<byte>(data + at, (int)Math.Min(MappedIndex.BlockBytes, bytes - at));
        return IndexChecksum.Update(0, span) == BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(blockChecksums + block, 4));
    }

    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.TruncatedOrCorrupt"/> when the block is damaged.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Verify(int block)
    {
        if (Matches(block))
            return;
        try
        {
            File.Delete(path); // the next command rebuilds it
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt,
            $"index {path} is corrupt (an array fails its checksum at byte {(long)block * MappedIndex.BlockBytes}) and was removed; run the command again to rebuild it from the dump.");
    }
}
