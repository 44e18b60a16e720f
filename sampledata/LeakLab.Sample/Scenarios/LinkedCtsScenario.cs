namespace LeakLab.Sample;

/// <summary>
/// S06: child cancellation sources keep the parent's callback list growing. Each request links a
/// <see cref="CancellationTokenSource"/> to the long-lived <see cref="ServerLifetime.Stopping"/> token and registers
/// its own abort callback on the linked token; neither the linked source nor the registration is disposed. Linking
/// registers a callback on the parent, so the parent's callback list grows by one per request and keeps every
/// linked source, its registration and the <see cref="RequestScope"/> (with its buffer) alive. One Step = one request.
/// <c>--fixed</c>: <c>using</c> on both the linked source and the registration, which unregisters them from the parent.
/// </summary>
/// <remarks>
/// Evidence: static field <c>LeakLab.Sample.ServerLifetime.s_stopping</c> → <c>CancellationTokenSource</c>
/// <c>._registrations</c> → <c>CallbackNode</c> (a run) → <c>.CallbackState</c> linked CTS → its
/// <c>._registrations</c> → <c>CallbackNode</c> → delegate <c>._target</c> → <c>RequestScope</c>; the counts of
/// <c>CallbackNode</c>, linked CTS and <c>RequestScope</c> grow.
/// </remarks>
public sealed class LinkedCtsScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _requestId;

    public string Name => "linked-cts";
    public string Description => "S06: linked CancellationTokenSources on ServerLifetime.s_stopping, never disposed, keep each RequestScope";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        var scope = new RequestScope(++_requestId, new byte[_payloadBytes]);
        if (_fixed)
            RequestHandler.HandleAndDispose(scope);
        else
            RequestHandler.Handle(scope);
    }
}

/// <summary>The host's lifetime: cancelled once, when the server stops.</summary>
public static class ServerLifetime
{
    private static readonly CancellationTokenSource s_stopping = new();
    public static CancellationToken Stopping => s_stopping.Token;
}

public static class RequestHandler
{
    public static void Handle(RequestScope scope)
    {
        // The bug: no `using` on the linked source and no Dispose of the registration. Both stay registered on the
        // parent token until the server stops.
        CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(ServerLifetime.Stopping);
        linked.Token.Register(scope.Abort);
        scope.Complete();
    }

    /// <summary>The fix: disposing the registration and the linked source unregisters both from the parent token.</summary>
    public static void HandleAndDispose(RequestScope scope)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(ServerLifetime.Stopping);
        using CancellationTokenRegistration registration = linked.Token.Register(scope.Abort);
        scope.Complete();
    }
}

public sealed class RequestScope(long requestId, byte[] body)
{
    public long RequestId { get; } = requestId;
    public byte[] Body { get; } = body;
    public bool Aborted { get; private set; }
    public bool Completed { get; private set; }

    public void Abort() => Aborted = true;
    public void Complete() => Completed = Body.Length >= 0;
}
