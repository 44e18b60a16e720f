using System.Collections.Concurrent;
using System.Diagnostics;

namespace LeakLab.IntegrationTests;

/// <summary>
/// Kills every child process a test started that is still alive when the test host exits, so a crashed or
/// aborted run leaves no leaking sample programs behind. Tests also kill their children on dispose; this is the backstop.
/// </summary>
public static class ChildProcessGuard
{
    private static readonly ConcurrentDictionary<int, Process> s_children = new();

    static ChildProcessGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Register(Process process) => s_children[process.Id] = process;

    public static void Unregister(Process process) => s_children.TryRemove(process.Id, out _);

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
