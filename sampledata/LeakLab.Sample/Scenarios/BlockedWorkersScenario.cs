using System.Runtime.CompilerServices;

namespace LeakLab.Sample;

/// <summary>
/// S07: workers that wait forever (the WaitGroup misuse). Each <see cref="BatchWorker"/> thread processes its part of
/// a batch and then calls <c>Wait()</c> on the batch's <see cref="CountdownEvent"/> <em>before</em> its own
/// <c>Signal()</c>, so the count never reaches zero and every worker blocks for good, its stack frame still holding
/// its <see cref="BatchPart"/> and buffer. One Step = one more blocked thread, up to <see cref="MaxThreads"/>; then
/// the scenario stops growing (threads are a machine-wide resource, so the sample never takes more).
/// <c>--fixed</c>: batches of <see cref="FixedBatchSize"/> workers, each signals before it waits, so every batch
/// completes and its threads exit.
/// </summary>
/// <remarks>
/// Evidence: growing count of threads whose stack is in <c>LeakLab.Sample.BatchWorker.Process</c>; each is a thread
/// stack root (<c>thread N (os 0x…): LeakLab.Sample.BatchWorker.Process</c>) holding a <c>BatchPart</c> → <c>Byte[]</c>.
/// </remarks>
public sealed class BlockedWorkersScenario : IScenario
{
    public const int MaxThreads = 64;
    public const int FixedBatchSize = 4;
    private int _payloadBytes = 1024;
    private bool _fixed;
    private int _started;
    private readonly CountdownEvent _batchDone = new(MaxThreads);
    private CountdownEvent _fixedBatch = new(FixedBatchSize);

    public string Name => "blocked-workers";
    public string Description => $"S07: BatchWorker threads block forever on a CountdownEvent (Wait before Signal), up to {MaxThreads}";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One blocked worker before READY, so the first snapshot already shows the frame.
        Step();
        SpinWait.SpinUntil(() => BatchWorker.Blocked >= 1, TimeSpan.FromSeconds(10));
    }

    public void Step()
    {
        if (_fixed)
        {
            // A new batch every FixedBatchSize workers; the last worker of a batch releases the others.
            if (_started > 0 && _started % FixedBatchSize == 0)
                _fixedBatch = new CountdownEvent(FixedBatchSize);
            var part = new BatchPart(++_started, new byte[_payloadBytes]);
            CountdownEvent batch = _fixedBatch;
            new Thread(() => BatchWorker.ProcessFixed(part, batch)) { IsBackground = true, Name = $"batch-worker-{_started}" }.Start();
            return;
        }
        if (_started >= MaxThreads)
            return;
        var worker = new BatchWorker(new BatchPart(++_started, new byte[_payloadBytes]), _batchDone);
        var thread = new Thread(worker.Run) { IsBackground = true, Name = $"batch-worker-{_started}" };
        thread.Start();
    }
}

public sealed class BatchWorker(BatchPart part, CountdownEvent batchDone)
{
    public static int Blocked;

    public void Run() => Process(part, batchDone);

    // Static with locals on purpose: the part is a local of this frame, live across Wait() because it is used after.
    // Not inlined, so the stack root names this method.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Process(BatchPart part, CountdownEvent batchDone)
    {
        part.Checksum = part.Data.Length;
        Interlocked.Increment(ref Blocked);
        // The bug: wait for everyone before signalling our own completion; the count can never reach zero.
        batchDone.Wait();
        batchDone.Signal();
        part.Checksum++;
    }

    /// <summary>The fix: signal our own completion first, then wait for the rest of the batch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ProcessFixed(BatchPart part, CountdownEvent batchDone)
    {
        part.Checksum = part.Data.Length;
        Interlocked.Increment(ref Blocked);
        batchDone.Signal();
        batchDone.Wait();
        part.Checksum++;
    }
}

public sealed class BatchPart(int index, byte[] data)
{
    public int Index { get; } = index;
    public byte[] Data { get; } = data;
    public long Checksum;
}
