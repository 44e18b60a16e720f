using System.Runtime.InteropServices;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// A write-only stream that bypasses the page cache (Linux <c>O_DIRECT</c>): whole 4 KiB-aligned blocks from an aligned
/// buffer go straight to the disk. Used when the writer keeps what it writes in memory and nobody reads the file
/// back soon (<see cref="IndexWriteBehind"/>): on the virtual machines LeakLab is measured on, a gigabyte written
/// through the page cache costs 3.5–4 s of CPU (fresh page-cache pages), a direct write about 0.3 s, the rest being
/// disk time on a thread that waits.
/// </summary>
/// <remarks>
/// Writes go forward; a seek back (an index section's frame, patched once its payload is written) lands in the buffer
/// when it is still there, else it is kept and written through the page cache on <see cref="Dispose(bool)"/>, as is the
/// file's exact length (the last block is written whole, then the file is cut).
/// </remarks>
internal sealed unsafe class DirectWriteStream : Stream
{
    private const int Block = 4096;
    private const int BufferBytes = 8 << 20;
    private const int OpenWriteOnly = 0x1, OpenCloseOnExec = 0x80000;
    private const int GetFlags = 3, SetFlags = 4, InvalidArgument = 22; // F_GETFL, F_SETFL, EINVAL

    private readonly string _path;
    private int _fd;
    private byte* _buffer;
    private long _bufferStart; // file offset of _buffer[0]: a multiple of Block
    private int _filled;       // bytes of _buffer that hold data
    private long _position;
    private long _length;
    private readonly List<(long Offset, byte[] Bytes)> _patches = [];
    private bool _buffered; // O_DIRECT was turned off after the file system refused a direct write

    private DirectWriteStream(string path, int fd, long start)
    {
        _path = path;
        _fd = fd;
        _buffer = (byte*)NativeMemory.AlignedAlloc(BufferBytes, Block);
        _bufferStart = start / Block * Block;
        _filled = (int)(start - _bufferStart);
        _position = _length = start;
        if (_filled > 0)
        {
            // The block the append starts in already holds the file's last bytes: it is written whole again.
            using var head = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            head.Position = _bufferStart;
            head.ReadExactly(new Span<byte>(_buffer, _filled));
        }
    }

    /// <summary>
    /// Opens the existing, owner-only file at <paramref name="path"/> to write from <paramref name="start"/> (its
    /// length: what follows is replaced); a plain <see cref="FileStream"/> where direct I/O is not available (not
    /// Linux on x64 or Arm64, or a file system that refuses it, as tmpfs may).
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static Stream Open(string path, long start)
    {
        if (OperatingSystem.IsLinux() && DirectFlag() is int direct)
        {
            int fd = OpenFile(path, OpenWriteOnly | OpenCloseOnExec | direct, 0);
            if (fd >= 0)
                return new DirectWriteStream(path, fd, start);
        }
        FileStream stream = PrivateFile.Create(path, FileMode.Open, bufferSize: 1 << 20);
        stream.Position = start;
        return stream;
    }

    // O_DIRECT differs between architectures.
    private static int? DirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => null,
    };

    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            if (value < 0 || value > _length)
                throw new NotSupportedException("A direct write stream seeks only within what it has written.");
            _position = value;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (_position < _bufferStart)
            {
                int behind = (int)Math.Min(data.Length, _bufferStart - _position);
                _patches.Add((_position, data[..behind].ToArray()));
                _position += behind;
                data = data[behind..];
                continue;
            }
            long at = _position - _bufferStart;
            if (at == BufferBytes)
            {
                WriteBlocks(BufferBytes);
                _bufferStart += BufferBytes;
                _filled = 0;
                continue;
            }
            int n = (int)Math.Min(data.Length, BufferBytes - at);
            data[..n].CopyTo(new Span<byte>(_buffer + at, n));
            _position += n;
            _filled = Math.Max(_filled, (int)(at + n));
            _length = Math.Max(_length, _position);
            data = data[n..];
        }
    }

    private void WriteBlocks(int bytes)
    {
        for (int done = 0; done < bytes;)
        {
            nint n = PWrite(_fd, _buffer + done, (nuint)(bytes - done), _bufferStart + done);
            if (n < 0 && Marshal.GetLastPInvokeError() == InvalidArgument && !_buffered && Buffered())
                continue; // a file system that opens with O_DIRECT but refuses its writes: the page cache serves
            if (n <= 0)
                throw new IOException($"cannot write {_path} (error {Marshal.GetLastPInvokeError()})");
            done += (int)n;
        }
    }

    /// <summary>Turns O_DIRECT off on the open file; false when that fails too.</summary>
    private bool Buffered()
    {
        int flags = Fcntl(_fd, GetFlags, 0);
        _buffered = flags >= 0 && Fcntl(_fd, SetFlags, flags & ~(DirectFlag() ?? 0)) == 0;
        return _buffered;
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_fd < 0)
            return;
        try
        {
            if (disposing)
            {
                int whole = (_filled + Block - 1) / Block * Block;
                new Span<byte>(_buffer + _filled, whole - _filled).Clear();
                WriteBlocks(whole);
                if (FTruncate(_fd, _length) != 0)
                    throw new IOException($"cannot set the length of {_path} (error {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(_fd);
            _fd = -1;
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
            base.Dispose(disposing);
        }
        if (disposing && _patches.Count > 0)
        {
            using var patch = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            foreach ((long offset, byte[] bytes) in _patches)
            {
                patch.Position = offset;
                patch.Write(bytes);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };
    public override void SetLength(long value) => throw new NotSupportedException();

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static extern nint PWrite(int fd, byte* buffer, nuint count, long offset);

    [DllImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static extern int FTruncate(int fd, long length);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
