
namespace LeakLab.Capture;

/// <summary>Lists the .NET processes on this machine that LeakLab can dump or trace (those with a diagnostic socket).</summary>
public static class DotNetProcesses
{
    /// <summary>
    /// Every .NET process with a live diagnostic socket, by pid. A process that exits or cannot be read while being listed
    /// is skipped, never an error.
    /// </summary>
    /// <param name="excludeSelf">Leave out the calling process.</param>
    public static IReadOnlyList<DotNetProcessInfo> List(bool excludeSelf = false)
    {
        RequireProcFs();
        var result = new List<DotNetProcessInfo>();
        foreach (DiagnosticSockets.Entry socket in DiagnosticSockets.FindAll())
        {
            if (excludeSelf && socket.Pid == Environment.ProcessId)
                continue;
            if (Describe(socket.Pid) is DotNetProcessInfo info)
                result.Add(info);
        }
        return result;
    }

    /// <summary>
    /// Cleans up after a .NET process that was killed: deletes the diagnostic socket and debugger pipes its runtime had no
    /// chance to remove from the temp folder. Does nothing while the pid is running. Returns the number of files deleted.
    /// </summary>
    public static int RemoveLeftovers(int pid) => DiagnosticSockets.RemoveLeftovers(pid);

    /// <summary>
    /// The one .NET process (other than the caller) whose name matches, case-insensitively: <see cref="DotNetProcessInfo.Name"/>,
    /// the executable name (/proc/&lt;pid&gt;/comm), or the main dll's file name with or without <c>.dll</c>.
    /// </summary>
    /// <exception cref="LeakLabException">
    /// No process matches, or several do: the message lists each one's pid, start time and command line, so every host
    /// (CLI, notebook) refuses to guess in the same words.
    /// </exception>
    public static DotNetProcessInfo FindByName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "the process name is empty; pass a name shown by `leaklab ps`, or a pid");
        string wanted = name.Trim();
        DotNetProcessInfo[] matches = List(excludeSelf: true).Where(p => Matches(p, wanted)).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new LeakLabException(LeakLabErrorKind.ProcessGone, $"no .NET process named '{wanted}' is running; run `leaklab ps` to list .NET processes"),
            _ => throw new LeakLabException(LeakLabErrorKind.BadArgument,
                $"{matches.Length} .NET processes match '{wanted}'; pick one by pid (--pid N):"
                + string.Concat(matches.OrderBy(m => m.StartTime).Select(m => "\n  " + Candidate(m)))),
        };
    }

    /// <summary>
    /// "pid 123, started 2026-11-30 17:30:51 UTC: …/app.dll --port 80": what tells two matches apart, at most 98
    /// columns (a 100-column terminal, indented two). A long command line loses its start (the paths), not its end
    /// (the arguments, where two runs of one program differ).
    /// </summary>
    private static string Candidate(DotNetProcessInfo p)
    {
        const int MaxLine = 98, MinCommandLine = 30;
        string started = p.StartTime is { } t ? $", started {t.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "";
        string head = $"pid {p.Pid}{started}: ";
        // A command line is the process's own text: no control character may reach the user's terminal.
        string command = new(p.CommandLine.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        int room = Math.Max(MaxLine - head.Length, MinCommandLine);
        if (command.Length > room)
            command = "…" + command[^(room - 1)..];
        return head + command;
    }

    /// <summary>Reads one process's description from /proc; null when it is gone or unreadable.</summary>
    internal static DotNetProcessInfo? Describe(int pid)
    {
        string? comm = ProcFs.ReadComm(pid);
        string[]? args = ProcFs.ReadArgs(pid);
        if (comm is null || args is null)
            return null;
        return new DotNetProcessInfo(pid, AppName(comm, args), string.Join(' ', args), ProcFs.ReadStartTime(pid));
    }

    /// <summary>The name a user knows the process by; see <see cref="DotNetProcessInfo.Name"/>.</summary>
    internal static string AppName(string comm, IReadOnlyList<string> args)
    {
        string exe = args.Count > 0 ? Path.GetFileName(args[0]) : "";
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet" || comm == "dotnet")
        {
            // `dotnet app.dll` or `dotnet exec [options] app.dll`: the app is the first .dll argument.
            string? dll = args.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            if (dll is not null)
                return Path.GetFileNameWithoutExtension(dll);
        }
        // The kernel truncates comm to 15 characters; the executable's file name is the untruncated form.
        if (exe.Length > comm.Length && exe.StartsWith(comm, StringComparison.Ordinal))
            return exe;
        return comm.Length > 0 ? comm : exe;
    }

    private static bool Matches(DotNetProcessInfo p, string wanted)
    {
        if (string.Equals(p.Name, wanted, StringComparison.OrdinalIgnoreCase))
            return true;
        if (string.Equals(ProcFs.ReadComm(p.Pid), wanted, StringComparison.OrdinalIgnoreCase))
            return true;
        string[] args = ProcFs.ReadArgs(p.Pid) ?? [];
        return args.Take(1).Concat(args.Skip(1).Where(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Take(1))
            .Select(Path.GetFileName)
            .Any(file => string.Equals(file, wanted, StringComparison.OrdinalIgnoreCase) ||
                         string.Equals(Path.GetFileNameWithoutExtension(file), wanted, StringComparison.OrdinalIgnoreCase));
    }

    internal static void RequireProcFs()
    {
        if (!ProcFs.IsSupported)
            throw new LeakLabException(LeakLabErrorKind.Failed, "finding .NET processes needs Linux's /proc, which is not available here; pass a dump file instead");
    }
}
