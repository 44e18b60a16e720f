using System.Threading.Channels;

namespace LeakLab.Sample;

/// <summary>
/// S04: values sent into a channel whose receiver is gone. <see cref="JobPipeline"/> has an unbounded
/// <see cref="Channel{T}"/>; its only consumer crashed on a malformed job during setup (the faulted task is never
/// observed), so every job written afterwards waits in the channel's queue forever. One Step = one queued
/// <see cref="PendingJob"/> with its payload.
/// <c>--fixed</c>: the consumer logs a malformed job and goes on reading, so the queue stays drained.
/// </summary>
/// <remarks>
/// Evidence: static field <c>LeakLab.Sample.JobPipeline.s_jobs</c> → <c>UnboundedChannel&lt;PendingJob&gt;</c>
/// <c>._items</c> → <c>ConcurrentQueue&lt;PendingJob&gt;</c> → queue segment(s) → slot array → <c>PendingJob</c>; the
/// count of <c>PendingJob</c> grows.
/// </remarks>
public sealed class BlockedChannelScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _jobId;

    public string Name => "blocked-channel";
    public string Description => "S04: JobPipeline.s_jobs (unbounded Channel) queues every PendingJob; its consumer crashed";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        JobPipeline.StartConsumer(skipMalformed: _fixed);
        JobPipeline.Submit(new PendingJob(0, Array.Empty<byte>(), isMalformed: true));
        if (_fixed)
        {
            // The fixed consumer survives the malformed job: wait until it has read it.
            if (!SpinWait.SpinUntil(() => JobPipeline.Rejected > 0, TimeSpan.FromSeconds(10)))
                throw new InvalidOperationException("the job consumer did not read the malformed job");
        }
        // Wait until the consumer is gone, so nothing read before READY hides the pile-up.
        else if (!JobPipeline.WaitUntilConsumerStopped(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException("the job consumer did not stop on the malformed job");
        Step();
    }

    public void Step() => JobPipeline.Submit(new PendingJob(++_jobId, new byte[_payloadBytes], isMalformed: false));
}

public static class JobPipeline
{
    private static readonly Channel<PendingJob> s_jobs = Channel.CreateUnbounded<PendingJob>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });

    private static Task? s_consumer;
    public static long Processed;
    public static long Rejected;
    private static bool s_skipMalformed;

    public static void StartConsumer(bool skipMalformed = false)
    {
        s_skipMalformed = skipMalformed;
        s_consumer = Task.Run(ConsumeAsync);
    }

    public static void Submit(PendingJob job)
    {
        // TryWrite on an unbounded channel always succeeds: the writer never notices nobody reads.
        s_jobs.Writer.TryWrite(job);
    }

    public static bool WaitUntilConsumerStopped(TimeSpan timeout)
    {
        try
        {
            return s_consumer!.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true; // the crash this scenario is about
        }
    }

    private static async Task ConsumeAsync()
    {
        await foreach (PendingJob job in s_jobs.Reader.ReadAllAsync())
        {
            // The bug: one bad job kills the only consumer, and nobody awaits this task to notice.
            if (job.IsMalformed && s_skipMalformed)
            {
                Interlocked.Increment(ref Rejected); // the fix: log and go on reading
                continue;
            }
            if (job.IsMalformed)
                throw new InvalidDataException($"job {job.Id} is malformed");
            Processed += job.Payload.Length;
        }
    }
}

public sealed class PendingJob(long id, byte[] payload, bool isMalformed)
{
    public long Id { get; } = id;
    public DateTime QueuedUtc { get; } = DateTime.UtcNow;
    public byte[] Payload { get; } = payload;
    public bool IsMalformed { get; } = isMalformed;
}
