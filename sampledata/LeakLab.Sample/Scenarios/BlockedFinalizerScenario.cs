using System.Runtime.CompilerServices;

namespace LeakLab.Sample;

/// <summary>
/// S11: a finalizer that blocks, so the finalizer thread stalls and finalizable objects pile up. Callers forget to
/// dispose <see cref="LegacyConnection"/>s and rely on its finalizer, which writes an audit line under
/// <see cref="AuditLog"/>'s lock. An audit flusher thread took that lock and then waits forever for a network share,
/// so the first finalizer blocks (once, during setup) and the finalizer thread never runs again. Every connection
/// dropped afterwards is found dead by the next GC and parked in the f-reachable queue for good. One Step = one
/// dropped connection with its buffer; every 100 steps a gen0 collection stands in for the allocation pressure of
/// a busy service, so the dropped connections reach the queue steadily.
/// <c>--fixed</c>: connections are disposed (<c>using</c>; Dispose suppresses finalization) and the flusher waits for
/// the share outside the lock, so no finalizer runs and none could block.
/// </summary>
/// <remarks>
/// Evidence: finalizer-queue roots (<c>finalizer queue (ready for finalization)</c> → <c>LegacyConnection</c> →
/// <c>Byte[]</c>) grow in number; the finalizer thread's stack is in <c>LeakLab.Sample.LegacyConnection.Finalize</c>
/// (a thread stack root holding the connection being finalized), blocked on the lock.
/// </remarks>
public sealed class BlockedFinalizerScenario : IScenario
{
    private const int StepsPerCollection = 100;
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _connectionId;

    public string Name => "blocked-finalizer";
    public string Description => "S11: LegacyConnection's finalizer blocks on AuditLog's lock; dropped connections pile up in the f-reachable queue";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        AuditLog.StartStuckFlusher(holdLockWhileWaiting: !_fixed);
        if (_fixed)
        {
            for (int i = 0; i < 11; i++)
                UseConnection();
            GC.Collect(0);
            return;
        }
        DropConnection();
        // Collect until the finalizer thread has entered the first finalizer and blocked there.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!LegacyConnection.FinalizerBlocked)
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException("the finalizer thread did not reach LegacyConnection's finalizer");
            GC.Collect();
            Thread.Sleep(10);
        }
        // Some connections already waiting in the queue before READY, so the first snapshot shows the pile-up.
        for (int i = 0; i < 10; i++)
            DropConnection();
        GC.Collect(0);
    }

    public void Step()
    {
        if (_fixed)
            UseConnection();
        else
            DropConnection();
        if (_connectionId % StepsPerCollection == 0)
            GC.Collect(0);
    }

    // Not inlined, so no stack slot of the caller keeps the connection alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DropConnection()
    {
        var connection = new LegacyConnection(++_connectionId, new byte[_payloadBytes]);
        connection.Query();
        // The bug: no Dispose (no `using`); cleanup is left to the finalizer.
    }

    /// <summary>The fix: dispose the connection; its finalizer is suppressed and never queued.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UseConnection()
    {
        using var connection = new LegacyConnection(++_connectionId, new byte[_payloadBytes]);
        connection.Query();
    }
}

public sealed class LegacyConnection(long id, byte[] receiveBuffer) : IDisposable
{
    public static volatile bool FinalizerBlocked;

    public long Id { get; } = id;
    public byte[] ReceiveBuffer { get; } = receiveBuffer;
    public bool Closed { get; private set; }

    public void Query()
    {
        if (ReceiveBuffer.Length > 0)
            ReceiveBuffer[0] = (byte)Id;
    }

    public void Dispose()
    {
        AuditLog.Write(this);
        Closed = true;
        GC.SuppressFinalize(this);
    }

    ~LegacyConnection()
    {
        FinalizerBlocked = true;
        AuditLog.Write(this);
        Closed = true;
    }
}

public static class AuditLog
{
    private static readonly object s_lock = new();
    private static readonly ManualResetEventSlim s_shareAvailable = new(false);
    public static long Lines;

    /// <summary>
    /// Takes the lock and waits for a network share that never comes back, holding the lock for good (the bug); with
    /// <paramref name="holdLockWhileWaiting"/> false it waits outside the lock (the fix).
    /// </summary>
    public static void StartStuckFlusher(bool holdLockWhileWaiting = true)
    {
        // Not disposed: the flusher may still be inside Set() when Wait() returns here.
        var locked = new ManualResetEventSlim(false);
        var flusher = new Thread(() =>
        {
            if (!holdLockWhileWaiting)
            {
                locked.Set();
                s_shareAvailable.Wait();
                return;
            }
            lock (s_lock)
            {
                locked.Set();
                s_shareAvailable.Wait();
            }
        })
        { IsBackground = true, Name = "audit-flusher" };
        flusher.Start();
        locked.Wait();
    }

    public static void Write(LegacyConnection connection)
    {
        lock (s_lock)
            Lines += connection.Id;
    }
}
