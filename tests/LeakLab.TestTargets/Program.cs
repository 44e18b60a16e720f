using System.Diagnostics;

namespace LeakLab.TestTargets;

/// <summary>
/// Small programs, one leak shape each (one file per shape), for tests that need a real process holding exactly
/// that shape: <c>dotnet LeakLab.TestTargets.dll SHAPE [--parent-pid N]</c>. Prints one stdout line,
/// <c>LEAKLAB-READY {"pid":N,"scenario":"SHAPE"}</c>, once the shape is in place, then runs until killed (or until
/// its parent is gone).
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Action<Action>> s_shapes = new(StringComparer.Ordinal)
    {
        ["statics"] = Shop.Caching.StaticsShape.Run,
        ["linked-cts"] = Requests.LinkedCtsShape.Run,
        ["slow-leak"] = Ledger.SlowLeakShape.Run,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !s_shapes.TryGetValue(args[0], out Action<Action>? run))
        {
            Console.Error.WriteLine($"usage: LeakLab.TestTargets SHAPE [--parent-pid N]; shapes: {string.Join(", ", s_shapes.Keys)}");
            return 2;
        }
        int parent = Array.IndexOf(args, "--parent-pid");
        if (parent > 0 && parent + 1 < args.Length && int.TryParse(args[parent + 1], out int parentPid))
            WatchParent(parentPid);
        string shape = args[0];
        // The shape calls back once everything it holds is in place; it then keeps its own thread busy or parked.
        run(() =>
        {
            Console.Out.WriteLine($"LEAKLAB-READY {{\"pid\":{Environment.ProcessId},\"scenario\":\"{shape}\"}}");
            Console.Out.Flush();
        });
        return 0;
    }

    private static void WatchParent(int parentPid)
    {
        var watcher = new Thread(() =>
        {
            while (IsAlive(parentPid))
                Thread.Sleep(500);
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "parent-watch" };
        watcher.Start();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
