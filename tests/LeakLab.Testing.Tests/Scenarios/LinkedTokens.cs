namespace LeakLab.Testing.Tests.Scenarios;

// S06 (docs/scenarios.md): a linked CancellationTokenSource (and a registration on it) never disposed, on a long-lived
// token: the long-lived source keeps every linked source, and through its registration the request, alive.

public static class AppLifetime
{
    public static readonly CancellationTokenSource Stopping = new();
}

public sealed class RequestContext
{
    private readonly byte[] _buffer = new byte[1024];

    public bool Aborted { get; private set; }

    public void Abort() => Aborted = _buffer.Length > 0;
}

public static class RequestHandler
{
    /// <summary>Leaky: neither the linked source nor the registration is disposed.</summary>
    public static void Handle()
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(AppLifetime.Stopping.Token);
        var request = new RequestContext();
        linked.Token.Register(request.Abort);
    }

    /// <summary>Fixed: both are disposed when the request ends.</summary>
    public static void HandleAndDispose()
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(AppLifetime.Stopping.Token);
        var request = new RequestContext();
        using CancellationTokenRegistration registration = linked.Token.Register(request.Abort);
    }
}
