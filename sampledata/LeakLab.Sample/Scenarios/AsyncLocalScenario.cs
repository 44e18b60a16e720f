namespace LeakLab.Sample;

/// <summary>
/// S14: an <see cref="AsyncLocal{T}"/> value carried along forever. Each request sets
/// <see cref="RequestContext.Current"/> (the user's request context, with its large body) and, deep inside, starts a
/// fire-and-forget "refresh the cache in an hour" task. Starting it captures the current
/// <see cref="ExecutionContext"/>, and with it every AsyncLocal value of the request, into the task's pending
/// continuation, which the runtime's timer queue holds for the hour. The task itself never touches the request.
/// One Step = one request whose context stays alive.
/// <c>--fixed</c>: one refresh is scheduled at a time, started with the execution context's flow suppressed, so it
/// captures no request.
/// </summary>
/// <remarks>
/// Evidence: root = the runtime's timer queue (static <c>System.Threading.TimerQueue</c> instances) →
/// <c>TimerQueueTimer</c> → <c>Task.Delay</c>'s promise → the async state machine box → <c>ExecutionContext</c>
/// <c>.m_localValues</c> → AsyncLocal value map → <c>RequestContext</c> → <c>Byte[]</c>; the count of
/// <c>RequestContext</c> grows.
/// </remarks>
public sealed class AsyncLocalScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _requestId;

    public string Name => "async-local";
    public string Description => "S14: RequestContext.Current (AsyncLocal) is captured by hour-long fire-and-forget tasks with each request's body";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        try
        {
            RequestContext.Current.Value = new RequestContext(++_requestId, new byte[_payloadBytes]);
            if (_fixed)
                CatalogCache.OnRequestServedWithoutContext();
            else
                CatalogCache.OnRequestServed();
        }
        finally
        {
            // The request is over: its context is cleared here, but not in the context the task captured.
            RequestContext.Current.Value = null;
        }
    }
}

/// <summary>The request's ambient data, the way middleware exposes it.</summary>
public sealed class RequestContext(long requestId, byte[] body)
{
    public static readonly AsyncLocal<RequestContext?> Current = new();

    public long RequestId { get; } = requestId;
    public byte[] Body { get; } = body;
}

public static class CatalogCache
{
    private static readonly TimeSpan s_refreshDelay = TimeSpan.FromHours(1);
    public static long Refreshes;

    public static void OnRequestServed()
    {
        // Fire and forget: the returned task is dropped, but the timer queue keeps its continuation (and the
        // captured execution context) until the delay ends.
        _ = RefreshLaterAsync();
    }

    private static int s_scheduled;

    /// <summary>
    /// The fix: background work does not inherit the request's AsyncLocals (flow suppressed while it starts), and one
    /// pending refresh is enough.
    /// </summary>
    public static void OnRequestServedWithoutContext()
    {
        if (Interlocked.Exchange(ref s_scheduled, 1) == 1)
            return;
        using (ExecutionContext.SuppressFlow())
            _ = RefreshLaterAsync();
    }

    private static async Task RefreshLaterAsync()
    {
        await Task.Delay(s_refreshDelay);
        Refreshes++;
    }
}
