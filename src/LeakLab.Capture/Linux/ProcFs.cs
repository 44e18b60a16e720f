using System.Globalization;

namespace LeakLab.Capture.Linux;

/// <summary>
/// Reads the facts LeakLab needs about a process from /proc. Every reader returns null instead of throwing: a process can
/// exit between two reads, and /proc/&lt;pid&gt;/environ of another user's process is unreadable.
/// </summary>
internal static class ProcFs
{
    // USER_HZ: the unit of /proc/<pid>/stat times. It is part of the kernel's user-space ABI and is 100 on every
    // architecture .NET runs on, so there is no need to P/Invoke sysconf(_SC_CLK_TCK).
    private const double TicksPerSecond = 100;

    public static bool IsSupported => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>True when /proc/&lt;pid&gt; exists and the process is not a zombie (exited, not yet reaped).</summary>
    public static bool IsRunning(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}") && ReadState(pid) is not (null or 'Z' or 'X');

    public static string? ReadComm(int pid) => ReadText($"/proc/{pid}/comm")?.TrimEnd('\n');

    /// <summary>argv, split on the NULs of /proc/&lt;pid&gt;/cmdline; empty for kernel threads.</summary>
    public static string[]? ReadArgs(int pid)
    {
        string? raw = ReadText($"/proc/{pid}/cmdline");
        return raw?.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>One-letter state from /proc/&lt;pid&gt;/stat: R, S, D, T (stopped), t (traced), Z (zombie)...</summary>
    public static char? ReadState(int pid) => ReadStatFields(pid) is { Length: > 0 } f && f[0].Length == 1 ? f[0][0] : null;

    /// <summary>Start time in clock ticks since boot (stat field 22). The runtime uses it as the diagnostic socket's disambiguation key.</summary>
    public static ulong? ReadStartTicks(int pid) =>
        ReadStatFields(pid) is { Length: > 19 } f && ulong.TryParse(f[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong t) ? t : null;

    public static DateTimeOffset? ReadStartTime(int pid)
    {
        if (ReadStartTicks(pid) is not ulong ticks || ReadBootTime() is not long boot)
            return null;
        return DateTimeOffset.FromUnixTimeSeconds(boot).AddSeconds(ticks / TicksPerSecond);
    }

    /// <summary>One variable of the process's environment (null if unset or unreadable).</summary>
    public static string? ReadEnvironmentVariable(int pid, string name)
    {
        string? raw = ReadText($"/proc/{pid}/environ");
        if (raw is null)
            return null;
        string prefix = name + "=";
        foreach (string entry in raw.Split('\0'))
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal))
                return entry[prefix.Length..];
        }
        return null;
    }

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after "(comm)", starting with the state (field 3).</summary>
    private static string[]? ReadStatFields(int pid)
    {
        string? stat = ReadText($"/proc/{pid}/stat");
        // comm may contain spaces and parentheses; it ends at the last ')'.
        int close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0)
            return null;
        return stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static long? ReadBootTime()
    {
        string? stat = ReadText("/proc/stat");
        if (stat is null)
            return null;
        foreach (string line in stat.Split('\n'))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal) &&
                long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long boot))
                return boot;
        }
        return null;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
