using System.Globalization;

namespace LeakLab.Capture.Linux;

/// <summary>
/// Reads a live process's memory from /proc/&lt;pid&gt;/smaps and /proc/&lt;pid&gt;/status and sets it against the GC heap's
/// address ranges (<see cref="ProcessMemory"/>).
/// </summary>
/// <remarks>
/// smaps gives each mapping's resident and anonymous bytes, not each page's: a mapping only partly inside the GC heap
/// counts in proportion to the overlap. With regions the GC reserves one big range and commits pieces of it, so the
/// mappings it splits into mostly lie wholly inside or outside; the proportion matters only at the edges.
/// </remarks>
internal static class ProcMemory
{
    /// <summary>
    /// The memory of process <paramref name="pid"/>; the GC heap's ranges are <paramref name="gcRanges"/> (start,
    /// length) when given, else the committed segments the runtime reports (ClrMD attaches without suspending the
    /// process, in a child process); when neither can be had, <see cref="ProcessMemory.GcHeapBytes"/> is null.
    /// </summary>
    /// <exception cref="LeakLabException">The process is gone, not readable by this user, or /proc is missing.</exception>
    public static ProcessMemory Read(int pid, IReadOnlyList<(ulong Start, ulong Length)>? gcRanges = null, string? rangesFrom = null)
    {
        if (!ProcFs.IsSupported)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "process memory is read from /proc, which only Linux has; take a dump instead (`leaklab dump --pid N`)");
        string[] smaps = ReadLines(pid, "smaps");
        if (gcRanges is not { Count: > 0 } && RuntimeRanges(pid) is { } fromRuntime)
            (gcRanges, rangesFrom) = (fromRuntime, "runtime");
        return Summarise(smaps, ReadLines(pid, "status"), gcRanges, rangesFrom);
    }

    /// <summary>Like <see cref="Read"/>, null instead of an exception (the process exited, another user's process).</summary>
    public static ProcessMemory? TryRead(int pid, IReadOnlyList<(ulong Start, ulong Length)>? gcRanges = null, string? rangesFrom = null)
    {
        try
        {
            return Read(pid, gcRanges, rangesFrom);
        }
        catch (LeakLabException)
        {
            return null;
        }
    }

    /// <summary>The summary of one smaps and status text; ranges may overlap and come in any order.</summary>
    internal static ProcessMemory Summarise(string[] smaps, string[] status, IReadOnlyList<(ulong Start, ulong Length)>? gcRanges, string? rangesFrom)
    {
        (ulong Start, ulong End)[] gc = Merge(gcRanges ?? []);
        long resident = 0, anonymous = 0, swapped = 0;
        double inGc = 0;
        ulong start = 0, end = 0;
        foreach (string line in smaps)
        {
            int colon = line.IndexOf(':');
            int space = line.IndexOf(' ');
            if (space > 0 && (colon < 0 || colon > space))
            {
                // "7f12a0000000-7f12a4000000 rw-p 00000000 00:00 0   [path]": a mapping starts.
                int dash = line.IndexOf('-');
                if (dash > 0 && dash < space
                    && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong s)
                    && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong e))
                    (start, end) = (s, e);
                continue;
            }
            if (Kilobytes(line, "Rss:") is long rss)
                resident += rss;
            else if (Kilobytes(line, "Swap:") is long swap)
                swapped += swap;
            else if (Kilobytes(line, "Anonymous:") is long anon)
            {
                anonymous += anon;
                if (anon > 0 && end > start)
                    inGc += anon * (double)Overlap(gc, start, end) / (end - start);
            }
        }
        long peak = status.Select(l => Kilobytes(l, "VmHWM:")).FirstOrDefault(v => v is not null) ?? resident;
        bool known = gcRanges is { Count: > 0 };
        long gcBytes = (long)Math.Round(inGc);
        return new ProcessMemory(resident, anonymous, resident - anonymous, swapped, peak,
            known ? gcBytes : null, known ? Math.Max(0, anonymous - gcBytes) : null, known ? rangesFrom : null);
    }

    /// <summary>"Rss:    1234 kB" → 1234 × 1024; null for another field.</summary>
    private static long? Kilobytes(string line, string field)
    {
        if (!line.StartsWith(field, StringComparison.Ordinal))
            return null;
        ReadOnlySpan<char> value = line.AsSpan(field.Length).Trim();
        if (value.EndsWith("kB", StringComparison.Ordinal))
            value = value[..^2].TrimEnd();
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
    }

    private static (ulong Start, ulong End)[] Merge(IReadOnlyList<(ulong Start, ulong Length)> ranges)
    {
        var merged = new List<(ulong Start, ulong End)>();
        foreach (var (s, length) in ranges.Where(r => r.Length > 0).OrderBy(r => r.Start))
        {
            ulong e = s + length;
            if (merged.Count > 0 && s <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, e));
            else
                merged.Add((s, e));
        }
        return [.. merged];
    }

    private static ulong Overlap((ulong Start, ulong End)[] ranges, ulong start, ulong end)
    {
        ulong total = 0;
        // Few ranges (one per region or segment in use): a linear scan is cheaper than anything smarter.
        foreach (var (s, e) in ranges)
        {
            if (e > start && s < end)
                total += Math.Min(e, end) - Math.Max(s, start);
        }
        return total;
    }

    /// <summary>
    /// The GC heap's committed ranges as the runtime reports them; null when ClrMD cannot attach or read them in time. Read
    /// in a child process (<see cref="DacReaderProcess"/>): a DAC call on a running process may never return.
    /// </summary>
    private static List<(ulong Start, ulong Length)>? RuntimeRanges(int pid)
    {
        if (DacReaderProcess.Run("ranges", pid.ToString(CultureInfo.InvariantCulture), s_rangesDeadline) is not { Count: > 0 } lines)
            return null; // no DAC, no access, the process exited: the summary says the GC share is unknown
        var ranges = new List<(ulong Start, ulong Length)>(lines.Count);
        foreach (string line in lines)
        {
            int tab = line.IndexOf('\t');
            if (tab > 0 && ulong.TryParse(line.AsSpan(0, tab), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(tab + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong length))
                ranges.Add((start, length));
        }
        return ranges;
    }

    private static readonly TimeSpan s_rangesDeadline = TimeSpan.FromSeconds(20);

    private static string[] ReadLines(int pid, string file)
    {
        try
        {
            return File.ReadAllLines($"/proc/{pid}/{file}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ProcFs.IsRunning(pid)
                ? new LeakLabException(LeakLabErrorKind.Permission, $"cannot read /proc/{pid}/{file} ({DumpCapture.OneLine(ex.Message)}); run LeakLab as the process's user")
                : new LeakLabException(LeakLabErrorKind.ProcessGone, $"process {pid} is not running; run `leaklab ps` to list .NET processes");
        }
    }
}
