using System.Globalization;

namespace LeakLab.Capture.Live;

/// <summary>
/// The most the target's GC heap may grow to, as its runtime would compute it: <c>DOTNET_GCHeapHardLimit</c> (hex
/// bytes) or <c>DOTNET_GCHeapHardLimitPercent</c> (hex percent of the container limit) from the target's environment,
/// else 75% of its cgroup memory limit (the GC's default inside a container), else none.
/// </summary>
/// <param name="Bytes">The limit in bytes.</param>
/// <param name="Source">Where it came from, for the warning's text ("DOTNET_GCHeapHardLimit", "75% of cgroup memory.max").</param>
/// <remarks>A limit set only in runtimeconfig.json (<c>System.GC.HeapHardLimit</c>) is not seen.</remarks>
public sealed record MemoryLimit(long Bytes, string Source)
{
    /// <summary>The share of the container limit the GC allows itself when no hard limit is set.</summary>
    public const double ContainerShare = 0.75;

    /// <summary>The limit of process <paramref name="pid"/>, or null when it has none (or /proc is unreadable).</summary>
    public static MemoryLimit? Of(int pid)
    {
        if (!ProcFs.IsSupported)
            return null;
        long? container = CgroupLimit(ReadOrNull($"/proc/{pid}/cgroup"), path => ReadOrNull(path));
        return Resolve(name => ProcFs.ReadEnvironmentVariable(pid, "DOTNET_" + name) ?? ProcFs.ReadEnvironmentVariable(pid, "COMPlus_" + name), container);
    }

    /// <summary>The rule of <see cref="Of"/> over an environment lookup (names without prefix) and a container limit.</summary>
    internal static MemoryLimit? Resolve(Func<string, string?> environment, long? containerBytes)
    {
        if (Hex(environment("GCHeapHardLimit")) is > 0 and long hard)
            return new MemoryLimit(hard, "DOTNET_GCHeapHardLimit");
        if (containerBytes is > 0 and long total && Hex(environment("GCHeapHardLimitPercent")) is > 0 and < 100 and long percent)
            return new MemoryLimit(total * percent / 100, $"DOTNET_GCHeapHardLimitPercent of the cgroup memory limit");
        return containerBytes is > 0 and long limit ? new MemoryLimit((long)(limit * ContainerShare), "75% of the cgroup memory limit") : null;
    }

    /// <summary>
    /// The memory limit of the cgroup named in a /proc/PID/cgroup text, the smallest along its path up to the root (a
    /// parent's limit binds its children): v2 (<c>0::/path</c> → memory.max) or v1 (<c>N:memory:/path</c> →
    /// memory.limit_in_bytes); null when no level sets one ("max", v1's huge "no limit" value) or nothing is readable.
    /// </summary>
    internal static long? CgroupLimit(string? procCgroup, Func<string, string?> read)
    {
        if (procCgroup is null)
            return null;
        long? smallest = null;
        foreach (string line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split(':', 3);
            if (f.Length != 3)
                continue;
            (string root, string file) = f[0] == "0" && f[1] == "" ? ("/sys/fs/cgroup", "memory.max")
                : f[1].Split(',').Contains("memory") ? ("/sys/fs/cgroup/memory", "memory.limit_in_bytes")
                : ("", "");
            if (file.Length == 0)
                continue;
            for (string path = f[2].TrimEnd('/'); ; path = path[..Math.Max(0, path.LastIndexOf('/'))])
            {
                // v1 reports "no limit" as a huge page-rounded number (2^63 - 4096).
                if (long.TryParse(read($"{root}{path}/{file}")?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
                    && bytes > 0 && bytes < long.MaxValue / 2)
                    smallest = Math.Min(smallest ?? long.MaxValue, bytes);
                if (path.Length == 0)
                    break;
            }
        }
        return smallest;
    }

    /// <summary>GC settings in the environment are hexadecimal, with or without 0x.</summary>
    private static long? Hex(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        string digits = text.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            digits = digits[2..];
        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    private static string? ReadOrNull(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }
}
