using System.Collections.Concurrent;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// A read-only stream that drains an EventPipe session's socket on its own thread into an unbounded in-memory queue,
/// so the target's event buffers empty as fast as the socket allows, however slowly the parser reads.
/// </summary>
/// <remarks>
/// The runtime keeps unread events in the target's memory (the session's circular buffer) and drops new ones when it is
/// full; memory on our side is cheaper and never drops. The queue holds chunks of up to <see cref="ChunkBytes"/>;
/// the parser (EventPipeEventSource) reads them in order. End of stream and read errors reach the parser after the
/// queued data.
/// </remarks>
internal sealed class EventStreamPump : Stream
{
    private const int ChunkBytes = 1 << 20;

    private readonly BlockingCollection<ArraySegment<byte>> _chunks = new(new ConcurrentQueue<ArraySegment<byte>>());
    private readonly Thread _thread;
    private ArraySegment<byte> _current;
    private long _received;
    private long _queued;

    public EventStreamPump(Stream source)
    {
        _thread = new Thread(() => Pump(source)) { IsBackground = true, Name = "LeakLab EventPipe socket reader" };
        _thread.Start();
    }

    /// <summary>Bytes read from the socket so far.</summary>
    public long ReceivedBytes => Interlocked.Read(ref _received);

    /// <summary>Bytes read from the socket and not yet parsed: how far the socket reader is ahead of the parser.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queued);

    /// <summary>Why the socket read ended early, if it did (the parser sees end of stream after the queued data).</summary>
    public Exception? Error { get; private set; }

    private void Pump(Stream source)
    {
        try
        {
            byte[] buffer = new byte[ChunkBytes];
            int n;
            // One read takes what the socket has ready; a copy of exactly that goes to the queue.
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                Interlocked.Add(ref _received, n);
                Interlocked.Add(ref _queued, n);
                _chunks.Add(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (Exception ex)
        {
            Error = ex;
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (destination.Length == 0)
            return 0;
        while (_current.Count == 0)
        {
            if (!_chunks.TryTake(out _current, Timeout.Infinite))
                return 0; // the socket ended and everything queued was read
        }
        int n = Math.Min(destination.Length, _current.Count);
        _current.AsSpan(0, n).CopyTo(destination);
        _current = _current.Slice(n);
        Interlocked.Add(ref _queued, -n);
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
