namespace LeakLab;

/// <summary>
/// The leak warning of a watch: whether the heap left after full GCs keeps growing, and which types grow across the
/// watch's heap snapshots.
/// </summary>
/// <remarks>
/// The rule (README, "watch"): warn when BOTH hold:
/// <list type="number">
/// <item>the heap after gen2 GCs grew over the last <see cref="ConsecutiveGen2"/> consecutive gen2 GCs (each one
/// larger than the one before), by at least <see cref="MinGrowthBytes"/> and <see cref="MinGrowthShare"/> in total;</item>
/// <item>the comparison of the heap snapshots (<see cref="SnapshotComparison"/>, needs two or more) names at least one
/// growing type. A watch without two snapshots relies on rule 1 alone.</item>
/// </list>
/// Only gen2 GCs count: after one, the heap holds what is reachable (plus what a background GC has not swept), so
/// steady growth there is retained memory, not allocation churn. Each heap snapshot induces a gen2 GC, so a watch with
/// K snapshots has at least K such points. Two independent signals keep a bounded cache (the sample's
/// <c>control</c> workload) from being reported when its size happens to rise a few times in a row.
/// </remarks>
public sealed record LeakWarning(bool Alert, string Reason, IReadOnlyList<long> HeapAfterGen2, IReadOnlyList<TypeTrend> Growing)
{
    /// <summary>Growth steps in a row the gen2 series needs (3 points).</summary>
    public const int ConsecutiveGen2 = 2;

    /// <summary>Total growth over those steps, in bytes and as a share of the first point.</summary>
    public const long MinGrowthBytes = 256 * 1024;
    public const double MinGrowthShare = 0.01;

    /// <summary>Applies the rule to a watch's GC timeline (oldest first) and, when it had two snapshots or more, their comparison.</summary>
    public static LeakWarning Judge(IReadOnlyList<GcRecord> gcs, SnapshotComparison? comparison)
    {
        ArgumentNullException.ThrowIfNull(gcs);
        long[] gen2 = [.. gcs.Where(g => g.Generation == 2).Select(g => g.HeapAfter)];
        IReadOnlyList<TypeTrend> growing = comparison?.Types.Where(t => t.Growing).ToList() ?? [];

        string heapReason;
        bool heapGrows = false;
        if (gen2.Length < ConsecutiveGen2 + 1)
        {
            heapReason = $"{gen2.Length} gen2 GC(s) seen; the rule needs {ConsecutiveGen2 + 1}";
        }
        else
        {
            long[] last = gen2[^(ConsecutiveGen2 + 1)..];
            bool rising = last.Zip(last.Skip(1)).All(p => p.Second > p.First);
            long growth = last[^1] - last[0];
            heapGrows = rising && growth >= MinGrowthBytes && growth >= MinGrowthShare * last[0];
            heapReason = heapGrows
                ? $"heap after the last {last.Length} gen2 GCs grew each time, by {growth:N0} bytes ({100.0 * growth / Math.Max(1, last[0]):0.#}%)"
                : $"heap after the last {last.Length} gen2 GCs did not grow steadily ({string.Join(" → ", last.Select(b => $"{b:N0}"))} bytes)";
        }

        bool snapshotsAgree = comparison is null || growing.Count > 0;
        string snapshotReason = comparison is null
            ? "fewer than two snapshots, no type comparison"
            : growing.Count > 0
                ? $"growing across {comparison.Snapshots.Count} snapshots: {string.Join(", ", growing.Take(3).Select(t => t.Type))}"
                : $"no type grows across {comparison.Snapshots.Count} snapshots";
        return new LeakWarning(heapGrows && snapshotsAgree, $"{heapReason}; {snapshotReason}", gen2, growing);
    }
}
