using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LeakLab.Core.Graph.Index;

/// <summary>Reads what <see cref="IndexWriter"/> wrote, checking each section's length and checksum at its end.</summary>
/// <remarks>Any inconsistency throws <see cref="IndexCorruptException"/>: lengths are checked before allocating.</remarks>
internal sealed class IndexReader(Stream stream, MappedIndex? map = null)
{
    private readonly byte[] _scratch = new byte[8];
    private long _remaining;
    private uint _crc, _expectedCrc;

    /// <summary>Reads the next section's frame (at the next 8-byte boundary); null at the end of the file.</summary>
    public (IndexSection Kind, long Offset, long Length)? NextSection()
    {
        long offset = (stream.Position + 7) & ~7L;
        if (offset >= stream.Length)
            return null;
        stream.Position = offset;
        Span<byte> header = stackalloc byte[16];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read == 0)
            return null;
        if (read < header.Length)
            throw new IndexCorruptException("the file is cut short");
        var kind = (IndexSection)BinaryPrimitives.ReadUInt32LittleEndian(header);
        long length = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (length < 0 || offset + 16 + length > stream.Length)
            throw new IndexCorruptException("the file is cut short");
        return (kind, offset, length);
    }

    /// <summary>Starts reading the section whose frame begins at <paramref name="offset"/>.</summary>
    public void BeginSection(long offset, IndexSection expected)
    {
        stream.Position = offset;
        Span<byte> header = stackalloc byte[16];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            throw new IndexCorruptException("the file is cut short");
        if ((IndexSection)BinaryPrimitives.ReadUInt32LittleEndian(header) != expected)
            throw new IndexCorruptException($"expected section {expected}");
        _expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        _remaining = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (_remaining < 0 || offset + 16 + _remaining > stream.Length)
            throw new IndexCorruptException("the file is cut short");
        _crc = 0;
    }

    public void EndSection()
    {
        if (_remaining != 0)
            throw new IndexCorruptException("a section is longer than its contents");
        if (_crc != _expectedCrc)
            throw new IndexCorruptException("checksum mismatch");
    }

    public void Bytes(Span<byte> into)
    {
        if (into.Length > _remaining)
            throw new IndexCorruptException("a section is shorter than its contents");
        stream.ReadExactly(into);
        _crc = IndexChecksum.Update(_crc, into);
        _remaining -= into.Length;
    }

    public int Int32()
    {
        Bytes(_scratch.AsSpan(0, 4));
        return BinaryPrimitives.ReadInt32LittleEndian(_scratch);
    }

    public long Int64()
    {
        Bytes(_scratch.AsSpan(0, 8));
        return BinaryPrimitives.ReadInt64LittleEndian(_scratch);
    }

    public string? String()
    {
        int length = Int32();
        if (length == -1)
            return null;
        byte[] utf8 = new byte[CheckLength(length, 1)];
        Bytes(utf8);
        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>An array written by <see cref="IndexWriter.Array{T}"/>, read straight into uninitialised memory.</summary>
    public T[] Array<T>() where T : unmanaged
    {
        int length = CheckLength(Int32(), Unsafe.SizeOf<T>());
        T[] values = GC.AllocateUninitializedArray<T>(length);
        Bytes(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>An array section's offset (written with <see cref="IndexWriter.ArraySection{T}"/>) as a mapped column.</summary>
    /// <exception cref="IndexCorruptException">No array section of whole elements there, or a small one fails its checksum.</exception>
    public Column<T> Column<T>() where T : unmanaged =>
        (map ?? throw new InvalidOperationException("This reader has no mapping.")).Column<T>(Int64());

    private int CheckLength(int length, int elementSize)
    {
        if (length < 0 || (long)length * elementSize > _remaining)
            throw new IndexCorruptException("a length runs past its section");
        return length;
    }
}
