namespace LeakLab.Sample;

/// <summary>
/// S03: a closure captures a large buffer and is held by a task that never completes. Each rendered report
/// registers "send it when the service shuts down" as a continuation of <see cref="ReportScheduler.s_shutdown"/>, a
/// <see cref="TaskCompletionSource"/> that is only completed at shutdown, which never comes while the service runs.
/// The lambda captures the local <c>renderedReport</c>, so the compiler puts it in a <c>&lt;&gt;c__DisplayClass</c>
/// object that the continuation keeps alive. One Step = one leaked report buffer.
/// <c>--fixed</c>: the report is sent when rendered; nothing is queued on the shutdown task.
/// </summary>
/// <remarks>
/// Evidence: static field <c>LeakLab.Sample.ReportScheduler.s_shutdown</c> → TaskCompletionSource → Task → its
/// continuation list → continuation → <c>Action</c> delegate <c>._target</c> → <c>ReportScheduler+&lt;&gt;c__DisplayClass…</c>
/// <c>.renderedReport</c> → <c>Byte[]</c>; the count of display-class objects grows.
/// </remarks>
public sealed class CapturedClosureScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _reportId;

    public string Name => "captured-closure";
    public string Description => "S03: continuations on ReportScheduler.s_shutdown (never completed) capture each rendered report buffer";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        if (_fixed)
            ReportScheduler.RenderAndSend(++_reportId, _payloadBytes);
        else
            ReportScheduler.RenderAndQueue(++_reportId, _payloadBytes);
    }
}

public static class ReportScheduler
{
    /// <summary>Completed when the service stops: never, while it runs. Every continuation on it lives until then.</summary>
    private static readonly TaskCompletionSource s_shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static long Sent;

    public static void RenderAndQueue(long reportId, int bytes)
    {
        byte[] renderedReport = new byte[bytes];
        if (renderedReport.Length > 0)
            renderedReport[0] = (byte)reportId;
        // The bug: "flush at shutdown" is registered per report, and the lambda captures the whole rendered buffer.
        s_shutdown.Task.ContinueWith(_ => Send(renderedReport), TaskScheduler.Default);
    }

    /// <summary>The fix: send now, so no per-report continuation waits for a shutdown that never comes.</summary>
    public static void RenderAndSend(long reportId, int bytes)
    {
        byte[] renderedReport = new byte[bytes];
        if (renderedReport.Length > 0)
            renderedReport[0] = (byte)reportId;
        Send(renderedReport);
    }

    private static void Send(byte[] report) => Sent += report.Length;
}
