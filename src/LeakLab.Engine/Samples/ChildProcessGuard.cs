using System.Collections.Concurrent;
using System.Diagnostics;

namespace LeakLab.Engine.Samples;

/// <summary>
/// Kills every registered child process still alive when this process exits: the backstop for a host that exits
/// without disposing what it started (a notebook kernel never disposes its session; a test host may be aborted).
/// </summary>
internal static class ChildProcessGuard
{
    private static readonly ConcurrentDictionary<int, Process> s_children = new();

    static ChildProcessGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Register(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        s_children[process.Id] = process;
    }

    public static void Unregister(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        s_children.TryRemove(process.Id, out _);
    }

    private static void KillAll()
    {
        foreach (Process p in s_children.Values)
        {
            try
            {
                if (!p.HasExited)
                    p.Kill(entireProcessTree: true);
            }
            catch (Exception) { } // best effort while the host shuts down
        }
        s_children.Clear();
    }
}
