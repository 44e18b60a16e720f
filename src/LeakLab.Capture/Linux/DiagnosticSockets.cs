using System.Globalization;

namespace LeakLab.Capture.Linux;

/// <summary>
/// Finds .NET processes by the diagnostic IPC sockets their runtimes create: <c>$TMPDIR/dotnet-diagnostic-&lt;pid&gt;-&lt;key&gt;-socket</c>.
/// We do this ourselves because DiagnosticsClient.GetPublishedProcesses throws on Linux:
/// it reads /proc/&lt;pid&gt;/environ of every pid, and kernel threads answer ESRCH.
/// </summary>
internal static class DiagnosticSockets
{
    private const string Prefix = "dotnet-diagnostic-";
    private const string Suffix = "-socket";

    /// <summary>A socket file that names a pid and the start-time key of the process that created it.</summary>
    public readonly record struct Entry(int Pid, ulong Key, string Path);

    /// <summary>Live .NET processes, one entry per pid, from the sockets in /tmp and in our $TMPDIR.</summary>
    public static IReadOnlyList<Entry> FindAll()
    {
        var found = new Dictionary<int, Entry>();
        foreach (string dir in SearchFolders(pid: null))
        {
            foreach (Entry e in Enumerate(dir, "*"))
            {
                if (!found.ContainsKey(e.Pid) && IsLive(e))
                    found[e.Pid] = e;
            }
        }
        return found.Values.OrderBy(e => e.Pid).ToArray();
    }

    /// <summary>The live socket of one pid, looking in the target's own $TMPDIR first; null if it has none.</summary>
    public static Entry? Find(int pid)
    {
        foreach (string dir in SearchFolders(pid))
        {
            foreach (Entry e in Enumerate(dir, pid.ToString(CultureInfo.InvariantCulture) + "-*"))
            {
                if (e.Pid == pid && IsLive(e))
                    return e;
            }
        }
        return null;
    }

    /// <summary>
    /// A socket is stale when its process died without removing it and the pid was reused: the runtime names the socket
    /// with the process's start time (stat field 22), or 0 when it could not read it.
    /// </summary>
    private static bool IsLive(Entry e)
    {
        if (!ProcFs.IsRunning(e.Pid))
            return false;
        return e.Key == 0 || ProcFs.ReadStartTicks(e.Pid) is not ulong start || start == e.Key;
    }

    /// <summary>
    /// Deletes the diagnostic socket and the debugger pipes (<c>clr-debug-pipe-&lt;pid&gt;-&lt;key&gt;-in/out</c>) of a process
    /// that is no longer running. A runtime removes them when it exits normally; a killed one leaves them in the temp folder
    /// forever, three files per killed process. Returns how many files were deleted.
    /// </summary>
    public static int RemoveLeftovers(int pid)
    {
        if (pid <= 0 || ProcFs.IsRunning(pid))
            return 0;
        string id = pid.ToString(CultureInfo.InvariantCulture);
        int removed = 0;
        foreach (string dir in SearchFolders(pid: null))
        {
            string[] files;
            try
            {
                files = [.. Directory.GetFiles(dir, $"{Prefix}{id}-*{Suffix}"), .. Directory.GetFiles(dir, $"clr-debug-pipe-{id}-*")];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (string file in files)
            {
                try
                {
                    File.Delete(file);
                    removed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // another user's: not ours to remove
            }
        }
        return removed;
    }

    private static IEnumerable<string> SearchFolders(int? pid)
    {
        var folders = new List<string>();
        if (pid is int p && ProcFs.ReadEnvironmentVariable(p, "TMPDIR") is { Length: > 0 } targetTmp)
            folders.Add(targetTmp);
        if (Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } ownTmp)
            folders.Add(ownTmp);
        folders.Add("/tmp");
        return folders.Select(f => f.TrimEnd('/')).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<Entry> Enumerate(string dir, string pidPattern)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(dir, Prefix + pidPattern + Suffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string path in files)
        {
            if (TryParse(path) is Entry e)
                yield return e;
        }
    }

    private static Entry? TryParse(string path)
    {
        string name = Path.GetFileName(path);
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
            return null;
        string[] parts = name[Prefix.Length..^Suffix.Length].Split('-');
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ||
            !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong key))
            return null;
        return new Entry(pid, key, path);
    }
}
