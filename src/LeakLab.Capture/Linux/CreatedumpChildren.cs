using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace LeakLab.Capture.Linux;

/// <summary>
/// The createdump process a dump request started. The runtime forks it as a child of the TARGET; it freezes the
/// target's threads (ptrace) while it copies memory. A dump we gave up on must not go on writing behind our back nor
/// leave the target frozen, so it is stopped, and the target resumed if it was left stopped.
/// </summary>
internal static class CreatedumpChildren
{
    private const int SigCont = 18;

    /// <summary>Pids of createdump children of <paramref name="targetPid"/> writing to <paramref name="dumpPath"/> (theirs only, never another tool's dump).</summary>
    public static List<int> Find(int targetPid, string dumpPath)
    {
        var found = new List<int>();
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{targetPid}/task");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return found;
        }
        foreach (string task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (string text in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int child)
                    && ProcFs.ReadArgs(child) is { Length: > 0 } args
                    && Path.GetFileName(args[0]) == "createdump"
                    && args.Contains(dumpPath, StringComparer.Ordinal))
                    found.Add(child);
            }
        }
        return found;
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the createdump of this request to appear (the runtime may not have
    /// forked it yet), kills it, and sends SIGCONT to the target if it is left stopped (a SIGSTOP that createdump's
    /// ptrace attach queued is delivered once the tracer is gone). Returns the pids it killed.
    /// </summary>
    /// <param name="wasStopped">Whether the target was stopped before the dump: then it is left as it was.</param>
    public static List<int> Stop(int targetPid, string dumpPath, TimeSpan grace, bool wasStopped)
    {
        var clock = Stopwatch.StartNew();
        List<int> killed = Find(targetPid, dumpPath);
        while (killed.Count == 0 && clock.Elapsed < grace && ProcFs.IsRunning(targetPid))
        {
            Thread.Sleep(50);
            killed = Find(targetPid, dumpPath);
        }
        foreach (int pid in killed)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5_000);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It finished (or exited) meanwhile.
            }
        }
        if (!wasStopped)
        {
            // The target reaps createdump and resumes; a queued SIGSTOP can stop it a moment later, so look twice.
            for (int i = 0; i < 10 && ProcFs.IsRunning(targetPid); i++)
            {
                if (ProcFs.ReadState(targetPid) is 'T')
                    _ = Kill(targetPid, SigCont);
                Thread.Sleep(20);
            }
        }
        return killed;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
