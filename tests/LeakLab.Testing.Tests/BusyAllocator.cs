namespace LeakLab.Testing.Tests;

/// <summary>
/// Another "test" running at the same time: a thread that allocates without pause and keeps a rolling window of
/// <see cref="Noise"/> objects alive, so some of its objects die and new ones appear during any assertion. It rests 1 ms
/// after every 1,000 allocations (about 20 MB/s), so it does not take a whole core of a small CI machine.
/// </summary>
public sealed class BusyAllocator : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _allocations;

    public BusyAllocator()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "busy allocator" };
        _thread.Start();
        while (Interlocked.Read(ref _allocations) < 10_000)
            Thread.Yield();
    }

    public long Allocations => Interlocked.Read(ref _allocations);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Run()
    {
        var window = new Noise[2_000];
        for (long i = 0; !_stop; i++)
        {
            window[i % window.Length] = new Noise();
            GC.KeepAlive(new byte[256]);
            if (Interlocked.Increment(ref _allocations) % 1_000 == 0)
                Thread.Sleep(1);
        }
    }
}

public sealed class Noise
{
    public readonly byte[] Payload = new byte[32];
}
