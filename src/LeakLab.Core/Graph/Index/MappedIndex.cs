using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace LeakLab;

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
    /// <summary>Sections up to this size are checked when opened (cheap); larger ones on first use (<see cref="MappedSection"/>).</summary>
    internal const long EagerCheckBytes = 1 << 20;

    private static readonly List<MemoryMappedViewAccessor> Live = [];

    private MappedIndex(string path, byte* start, long length)
    {
        Path = path;
        Start = start;
        Length = length;
    }

    public string Path { get; }
    public byte* Start { get; }
    public long Length { get; }

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
            Live.Add(view); // see remarks: never released
        return new MappedIndex(path, pointer + view.PointerOffset, length);
    }

    /// <summary>A stream over the whole mapping, for the small sections read with <see cref="IndexReader"/>.</summary>
    public UnmanagedMemoryStream Stream() => new(Start, Length);

    /// <summary>The array section whose frame starts at <paramref name="offset"/> as a column of <typeparamref name="T"/>.</summary>
    /// <exception cref="IndexCorruptException">No array section there, or a small one that fails its checksum.</exception>
    public Column<T> Column<T>(long offset) where T : unmanaged
    {
        if (offset < 0 || offset % 8 != 0 || offset > Length - 16)
            throw new IndexCorruptException("an array section is out of place");
        var frame = new ReadOnlySpan<byte>(Start + offset, 16);
        long bytes = BinaryPrimitives.ReadInt64LittleEndian(frame[8..]);
        if ((IndexSection)BinaryPrimitives.ReadUInt32LittleEndian(frame) != IndexSection.Array
            || bytes < 0 || bytes > Length - offset - 16 || bytes % sizeof(T) != 0 || bytes / sizeof(T) > Array.MaxLength)
            throw new IndexCorruptException("an array section does not fit its file");
        var section = new MappedSection(this, offset, bytes, BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]));
        if (bytes <= EagerCheckBytes)
        {
            if (!section.Matches())
                throw new IndexCorruptException("checksum mismatch");
            section = null;
        }
        return new Column<T>((T*)(Start + offset + 16), (int)(bytes / sizeof(T)), section);
    }
}

/// <summary>
/// An array section of a mapped index not yet checked. Its checksum is checked on the first read of its column, so
/// a damaged section is never used; then the index is removed and the command stops with one line saying to rerun.
/// </summary>
internal sealed unsafe class MappedSection(MappedIndex index, long offset, long bytes, uint crc)
{
    public bool Matches()
    {
        uint value = 0;
        for (long at = 0; at < bytes; at += int.MaxValue)
            value = IndexChecksum.Update(value, new ReadOnlySpan<byte>(index.Start + offset + 16 + at, (int)Math.Min(bytes - at, int.MaxValue)));
        return value == crc;
    }

    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.TruncatedOrCorrupt"/> when the section is damaged.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Verify()
    {
        if (Matches())
            return;
        try
        {
            File.Delete(index.Path); // the next command rebuilds it; this one cannot swap its arrays midway
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt,
            $"index {index.Path} is corrupt (a section at byte {offset} fails its checksum) and was removed; run the command again to rebuild it from the dump.");
    }
}
