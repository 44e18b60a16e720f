namespace Requests;

public sealed class RequestScope(int id)
{
    public int Id { get; } = id;
    public byte[] State { get; } = new byte[256];
}

/// <summary>
/// The linked-token leak from issue 8: every 100 ms, 100 requests each link a token source to the process-wide
/// <c>s_shutdown</c> and register a callback with a <see cref="RequestScope"/>, and none is disposed. Each linked
/// source registers itself on <c>s_shutdown</c>, so the registrations pile up in <c>s_shutdown</c>'s doubly linked
/// callback list. <c>Main</c>'s local <c>linked</c> holds the latest linked source, which also reaches that list.
/// </summary>
public static class LinkedCtsShape
{
    private static readonly CancellationTokenSource s_shutdown = new();

    public static void Run(Action ready)
    {
        CancellationTokenSource? linked = null;
        int id = 0;
        bool announced = false;
        while (true)
        {
            for (int i = 0; i < 100; i++)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(s_shutdown.Token);
                linked.Token.Register(static state => GC.KeepAlive(state), new RequestScope(id++));
            }
            if (!announced)
            {
                announced = true;
                ready();
            }
            Thread.Sleep(100);
            GC.KeepAlive(linked);
        }
    }
}
