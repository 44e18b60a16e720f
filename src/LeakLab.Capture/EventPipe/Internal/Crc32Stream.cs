namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// A pass-through stream that computes the CRC-32 (IEEE 802.3, as zip and PNG use it) of everything written or read,
/// and, for reading, ends at <c>length</c> so a reader's buffering cannot run into the checksum that follows.
/// </summary>
/// <remarks>The framework has no public CRC-32 (System.IO.Hashing is a separate package), and this is twenty lines.</remarks>
internal sealed class Crc32Stream : Stream
{
    private static readonly uint[] s_table = BuildTable();
    private readonly Stream _inner;
    private readonly long _readLimit;
    private long _position;
    private uint _crc = 0xFFFFFFFF;

    /// <param name="readLimit">How many bytes may be read through this stream; ignored for writing.</param>
    public Crc32Stream(Stream inner, long readLimit = long.MaxValue)
    {
        _inner = inner;
        _readLimit = readLimit;
    }

    public uint Crc => ~_crc;
    public long BytesHashed => _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long left = _readLimit - _position;
        if (left <= 0)
            return 0;
        if (buffer.Length > left)
            buffer = buffer[..(int)left];
        int n = _inner.Read(buffer);
        Update(buffer[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Update(buffer);
        _inner.Write(buffer);
    }

    private void Update(ReadOnlySpan<byte> bytes)
    {
        uint crc = _crc;
        foreach (byte b in bytes)
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _crc = crc;
        _position += bytes.Length;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public override bool CanRead => _inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => _inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() => _inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
