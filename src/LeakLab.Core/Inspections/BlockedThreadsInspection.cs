using System.Text.RegularExpressions;

namespace LeakLab.Core.Inspections;

/// <summary>
/// S07: workers blocked forever. Keyed on threads: from a dump, live threads whose stack is in a wait
/// (Monitor/WaitHandle/…Slim/CountdownEvent Wait, Join, Sleep) grouped by the first frame of the program's own code;
/// without runtime tables, thread stack roots grouped by frame method. A group whose thread count grows is the leak.
/// </summary>
internal sealed partial class BlockedThreadsInspection : IInspection
{
    private const long MinGrowth = 8;
    private const long MinOneSnapshot = 16;

    public string Scenario => "S07";
    public string Name => "blocked-threads";

    public void Run(InspectionContext context)
    {
        bool tables = context.HasTables;
        Dictionary<string, long[]> groups = tables
            ? context.SeriesByKey(s => s.Tables!.Threads.Where(t => !t.IsFinalizer && t.WaitMethod is not null && t.UserMethod is not null)
                .GroupBy(t => t.UserMethod!).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal))
            : context.SeriesByKey(s => s.Graph.Roots.Where(r => r.Kind == RootKind.ThreadStack).Select(r => StackRoot().Match(r.Name))
                .Where(m => m.Success && !m.Groups["method"].Value.StartsWith("System.", StringComparison.Ordinal))
                .GroupBy(m => m.Groups["method"].Value).ToDictionary(g => g.Key, g => (long)g.Select(m => m.Groups["thread"].Value).Distinct().Count(), StringComparer.Ordinal));
        foreach (var (method, series) in groups)
        {
            bool fires = context.IsSeries
                ? (SeriesGrowth.Grows(series, MinGrowth) && series[^1] >= MinGrowth) || HeldAfterGrowth(series)
                : series[^1] >= MinOneSnapshot;
            if (!fires)
                continue;
            var evidence = new List<string> { $"threads in {method}: {SeriesGrowth.Text(series)}" };
            if (tables)
            {
                ThreadRow[] threads = [.. context.Last.Tables!.Threads.Where(t => t.UserMethod == method && t.WaitMethod is not null)];
                evidence.Add($"all blocked in {string.Join(", ", threads.Select(t => t.WaitMethod).Distinct().Take(3))}; state {threads[0].State}");
                evidence.Add($"names: {string.Join(", ", threads.Select(t => t.Name ?? $"thread {t.ManagedId}").Take(5))}{(threads.Length > 5 ? ", …" : "")}");
                evidence.Add($"their frames hold {Quantity.Count(threads.Sum(t => (long)t.RootedObjects))} objects: {string.Join(", ", threads.SelectMany(t => t.RootedTypes).Select(TypeOf).GroupBy(t => t).OrderByDescending(g => g.Count()).Take(4).Select(g => g.Key))}");
            }
            else
            {
                evidence.Add("thread states and waits come from a dump's thread list; here only their stack roots are known");
            }
            if (context.Comparison is { } comparison)
            {
                RootTrend[] frames = [.. comparison.Roots.Where(r => r.Kind == RootKind.ThreadStack && r.Name.EndsWith(": " + method, StringComparison.Ordinal))];
                if (frames.Length > 0)
                    evidence.Add($"their stack frames retain {ByteSize.Format(frames.Sum(r => r.Retained[^1]))} in the last snapshot");
            }
            if (!context.IsSeries)
                evidence.Add(InspectionContext.OneSnapshotCaveat);
            context.Add(new Finding(Scenario, $"{Quantity.Count(series[^1])} threads blocked forever in {method}", new FindingRoot("thread", method), evidence,
                context.Score(series), "Make every wait end: signal before waiting (or let the last worker release the rest), and wait with a timeout or a cancellation token.", Name) { Counts = series });
        }
    }

    /// <summary>
    /// Threads blocked forever do not come back: a group that grew and then held (a cap of the program's or the thread
    /// pool's reached between snapshots: 12 → 64 → 64) is as stuck as one still growing, once it is large. A group
    /// that ever shrank is not stuck.
    /// </summary>
    private static bool HeldAfterGrowth(long[] series)
    {
        if (series[^1] < MinOneSnapshot || series[^1] - series[0] < MinGrowth)
            return false;
        for (int i = 1; i < series.Length; i++)
        {
            if (series[i] < series[i - 1])
                return false;
        }
        return true;
    }

    private static string TypeOf(string typeAndCount)
    {
        int x = typeAndCount.LastIndexOf(" ×", StringComparison.Ordinal);
        return x > 0 ? typeAndCount[..x] : typeAndCount;
    }

    [GeneratedRegex(@"^(?<thread>thread \d+ \(os 0x[0-9a-f]+\)): (?<method>.+)$")]
    private static partial Regex StackRoot();
}
