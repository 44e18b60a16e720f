using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// Writes framed, checksummed sections to an index file. Numbers are little-endian; arrays are written as their raw
/// bytes (the index is read back on the machine that wrote it, or one of the same byte order: see the format's magic).
/// </summary>
internal sealed class IndexWriter(Stream stream)
{
    private readonly byte[] _scratch = new byte[8];
    private long _sectionStart = -1;
    private long _payloadLength;
    private uint _crc;

    /// <summary>Starts a section at the next 8-byte boundary (so mapped arrays are aligned); returns its frame's offset.</summary>
    public long BeginSection(IndexSection kind)
    {
        while (stream.Position % 8 != 0)
            stream.WriteByte(0);
        _sectionStart = stream.Position;
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)kind);
        stream.Write(header); // crc and length are filled in by EndSection
        _payloadLength = 0;
        _crc = 0;
        return _sectionStart;
    }

    public void EndSection()
    {
        long end = stream.Position;
        stream.Position = _sectionStart + 4;
        Span<byte> tail = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(tail, _crc);
        BinaryPrimitives.WriteInt64LittleEndian(tail[4..], _payloadLength);
        stream.Write(tail);
        stream.Position = end;
        _sectionStart = -1;
    }

    public void Bytes(ReadOnlySpan<byte> data)
    {
        _crc = IndexChecksum.Update(_crc, data);
        _payloadLength += data.Length;
        stream.Write(data);
    }

    private void Unchecked(ReadOnlySpan<byte> data)
    {
        _payloadLength += data.Length;
        stream.Write(data);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
        Bytes(_scratch.AsSpan(0, 4));
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
        Bytes(_scratch.AsSpan(0, 8));
    }

    /// <summary>A string as its UTF-8 length and bytes; null as length -1.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Int32(-1);
            return;
        }
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Int32(utf8.Length);
        Bytes(utf8);
    }

    /// <summary>
    /// An array as a section of its own (<see cref="IndexSection.Array"/>), outside any other section; returns its
    /// offset, which the section that owns it records. Payload: [byte length i64][raw bytes, zero-padded to 8][CRC-32C
    /// per <see cref="MappedIndex.BlockBytes"/> block u32...], so a reader maps the bytes as a <see cref="Column{T}"/>
    /// and checks only the blocks it reads; the frame's checksum leaves out the raw bytes and padding.
    /// </summary>
    public long ArraySection<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (_sectionStart >= 0)
            throw new InvalidOperationException("An array section cannot start inside another section.");
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        long offset = BeginSection(IndexSection.Array);
        Int64(bytes.Length);
        // The frame's checksum covers the length and the block checksums, not the bytes again: the block checksums
        // cover them, and they are what a reader checks (one pass over the data, not two).
        Unchecked(bytes);
        Unchecked(new byte[(8 - bytes.Length % 8) % 8]);
        var blocks = new uint[MappedIndex.BlockCount(bytes.Length)];
        for (int b = 0; b < blocks.Length; b++)
            blocks[b] = IndexChecksum.Update(0, bytes.Slice(b * MappedIndex.BlockBytes, Math.Min(MappedIndex.BlockBytes, bytes.Length - b * MappedIndex.BlockBytes)));
        Bytes(MemoryMarshal.AsBytes(blocks.AsSpan()));
        EndSection();
        return offset;
    }

    /// <summary>An array of plain values as its length and raw bytes.</summary>
    public void Array<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        Int32(values.Length);
        Bytes(MemoryMarshal.AsBytes(values));
    }
}
