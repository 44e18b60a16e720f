namespace LeakLab.Core.Analysis;

/// <summary>
/// Tells steady growth (a leak) from noise and churn in a series of snapshots, and explains the verdict in one sentence.
/// </summary>
/// <remarks>
/// Growing means, across ≥3 snapshots: the series never dips by more than max(2, 1%) of its value, rises in at
/// least 60% of the intervals (both of them with three snapshots), grows in total by an absolute floor (50 objects
/// or 64 KiB), no single interval carries more than 80% of the total growth (a one-off step, such as a cache
/// filled once or the runtime's EventPipe metadata appearing with the first snapshot, is not a leak; when the
/// snapshots record their capture times, an interval carrying most of the growth is a step only if it also grew
/// faster than the average, so a last snapshot taken minutes after a few quick ones still shows a leak), and either
/// grows in total by at least 5%, or rises in every interval (a slow leak on a large heap: +0.3% per interval is
/// still a leak when it never stops). Slow growth scores lower than fast growth, since the score weighs the
/// relative growth.
/// A bounded cache with churn (the sample's <c>control</c> workload) goes up and down or stays flat, so it fails
/// the dip or the rise test. Two snapshots cannot show steadiness, so they need 4× the floors and 10%, and the
/// reason says a third snapshot would confirm it. Only reachable objects should be fed in: garbage not yet
/// collected comes and goes with the GC and would look like churn or growth at random.
/// </remarks>
internal static class GrowthClassifier
{
    internal const long MinObjects = 50;
    internal const long MinBytes = 64 * 1024;
    internal const double MinRelative = 0.05;
    internal const double MinRisingShare = 0.6;
    internal const double MaxStepShare = 0.8;
    internal const long TwoSnapshotFactor = 4;
    internal const double TwoSnapshotRelative = 0.10;
    private const double BytesForHalfScore = 1024 * 1024;

    internal readonly record struct Verdict(bool Growing, double Score, string Reason);

    /// <summary>
    /// Judges an entity from its object counts, and optionally its shallow bytes and retained bytes, one value per snapshot.
    /// It grows if any of the three grows steadily; growing instance counts score highest, since retained-only
    /// growth usually points at the container rather than at what leaks.
    /// </summary>
    internal static Verdict Judge(long[] counts, long[]? bytes, long[]? retained, double[]? intervals = null)
    {
        int k = counts.Length;
        if (k < 2)
            return new(false, 0, "one snapshot: nothing to compare");

        long bytesDelta = bytes is null ? 0 : bytes[^1] - bytes[0];
        long retainedDelta = retained is null ? 0 : retained[^1] - retained[0];
        long memoryDelta = Math.Max(bytesDelta, retainedDelta);
        long factor = k == 2 ? TwoSnapshotFactor : 1;

        if (intervals is not null && intervals.Length != k - 1)
            intervals = null;
        bool countGrows = Steady(counts, counts[^1] - counts[0] >= MinObjects * factor || memoryDelta >= MinBytes * factor, intervals);
        bool bytesGrow = bytes is not null && Steady(bytes, bytesDelta >= MinBytes * factor, intervals);
        bool retainedGrows = retained is not null && Steady(retained, retainedDelta >= MinBytes * factor, intervals);

        (string Metric, long[] Values, bool IsBytes) primary =
            countGrows || !(bytesGrow || retainedGrows) ? ("count", counts, false)
            : bytesGrow ? ("bytes", bytes!, true)
            : ("retained", retained!, true);

        bool growing = countGrows || bytesGrow || retainedGrows;
        double score = Score(primary.Values, memoryDelta, countGrows);
        if (k == 2)
            score *= 0.8;
        if (!growing)
            score *= 0.5;
        string reason = growing
            ? GrowingReason(primary, bytes, retained, k)
            : StillReason(primary, retained, intervals);
        return new(growing, Math.Round(score, 3), reason);
    }

    /// <summary>
    /// Seconds between consecutive snapshots when every one records a capture time and they increase; else null
    /// (then the intervals count as equal).
    /// </summary>
    internal static double[]? Intervals(IReadOnlyList<DateTimeOffset?> capturedAt)
    {
        if (capturedAt.Count < 2 || capturedAt.Any(t => t is null))
            return null;
        var seconds = new double[capturedAt.Count - 1];
        for (int i = 1; i < capturedAt.Count; i++)
        {
            seconds[i - 1] = (capturedAt[i]!.Value - capturedAt[i - 1]!.Value).TotalSeconds;
            if (seconds[i - 1] <= 0)
                return null;
        }
        return seconds;
    }

    private static bool Steady(long[] v, bool aboveFloor, double[]? intervals)
    {
        long first = v[0], last = v[^1];
        if (!aboveFloor || last <= first)
            return false;
        double relative = (double)(last - first) / Math.Max(first, 1);
        if (v.Length == 2)
            return relative >= TwoSnapshotRelative;
        bool fastOrNeverStops = relative >= MinRelative || Rises(v) == v.Length - 1;
        return fastOrNeverStops && NoRealDip(v) && !OneStep(v, intervals) && Rises(v) >= Math.Ceiling(MinRisingShare * (v.Length - 1));
    }

    /// <summary>
    /// True when one interval carries more than <see cref="MaxStepShare"/> of the total growth, and (when capture
    /// times are known) grew at least 1.5 times faster than the series on average: a long last interval that
    /// carries most of the growth only because it is long is steady growth, not a step.
    /// </summary>
    private static bool OneStep(long[] v, double[]? intervals)
    {
        long total = v[^1] - v[0];
        if (total <= 0)
            return false;
        double elapsed = intervals?.Sum() ?? v.Length - 1;
        for (int i = 1; i < v.Length; i++)
        {
            double growthShare = (double)(v[i] - v[i - 1]) / total;
            double timeShare = (intervals?[i - 1] ?? 1) / elapsed;
            if (growthShare > MaxStepShare && growthShare > 1.5 * timeShare)
                return true;
        }
        return false;
    }

    private static bool NoRealDip(long[] v)
    {
        for (int i = 1; i < v.Length; i++)
        {
            long tolerance = Math.Max(2, v[i - 1] / 100);
            if (v[i] < v[i - 1] - tolerance)
                return false;
        }
        return true;
    }

    private static int Rises(long[] v)
    {
        int rises = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > v[i - 1])
                rises++;
        }
        return rises;
    }

    /// <summary>Monotonicity, relative growth and absolute bytes growth, each in [0, 1), weighted into about [0, 1].</summary>
    private static double Score(long[] v, long memoryDelta, bool countGrows)
    {
        long delta = v[^1] - v[0];
        if (delta <= 0)
            return 0;
        double monotonicity = (double)Rises(v) / (v.Length - 1);
        double relative = (double)delta / Math.Max(v[0], 1);
        double relativeScore = relative / (1 + relative);
        double bytesScore = memoryDelta <= 0 ? 0 : memoryDelta / (memoryDelta + BytesForHalfScore);
        return 0.35 * monotonicity + 0.25 * relativeScore + 0.25 * bytesScore + (countGrows ? 0.15 : 0);
    }

    private static string GrowingReason((string Metric, long[] Values, bool IsBytes) p, long[]? bytes, long[]? retained, int k)
    {
        long[] v = p.Values;
        string text = $"{p.Metric} grew {Series(v, p.IsBytes)} ({RelativeText(v)})";
        int rises = Rises(v);
        text += k == 2 ? " between the two snapshots"
            : rises == k - 1 ? " at every snapshot"
            : $" in {rises} of {k - 1} intervals";
        if (bytes is not null && p.Metric == "count")
            text += $"; bytes {Signed(bytes[^1] - bytes[0])}";
        if (retained is not null && p.Metric != "retained")
            text += $"; retained {Signed(retained[^1] - retained[0])}";
        if (k == 2)
            text += "; take a third snapshot to be sure it is steady";
        return text;
    }

    private static string StillReason((string Metric, long[] Values, bool IsBytes) p, long[]? retained, double[]? intervals)
    {
        long[] v = p.Values;
        string series = Series(v, p.IsBytes);
        long first = v[0], last = v[^1];
        string text;
        if (v.All(x => x == first))
            text = $"{p.Metric} flat at {Format(first, p.IsBytes)}";
        else if (first > 0 && last == 0)
            text = $"gone: {p.Metric} {series}";
        else if (v.Length > 2 && last > first && NoRealDip(v) && OneStep(v, intervals))
            text = $"{p.Metric} jumped in one step ({series}) and then held: a one-off step, not steady growth";
        else if (!NoRealDip(v) && Rises(v) > 0)
            text = $"{p.Metric} went up and down ({series}): churn, not steady growth";
        else if (last < first)
            text = $"{p.Metric} shrank {series}";
        else if (v.Length > 2 && Rises(v) < Math.Ceiling(MinRisingShare * (v.Length - 1)))
            text = $"{p.Metric} rose in only {Rises(v)} of {v.Length - 1} intervals ({series})";
        else
            text = $"{p.Metric} {series} ({RelativeText(v)}): below the growth floor ({MinObjects} objects or {ByteSize.Format(MinBytes)}, and +5% or a rise in every interval)";
        if (retained is not null && retained[^1] != retained[0])
            text += $"; retained {Signed(retained[^1] - retained[0])}";
        return text;
    }

    private static double Relative(long[] v) => (double)(v[^1] - v[0]) / Math.Max(v[0], 1);

    // A series that starts at zero has no meaningful percentage ("+1388100%"): say it is new instead.
    private static string RelativeText(long[] v) => v[0] == 0 ? "new since the first snapshot" : Quantity.Percent(Relative(v));

    private static string Series(long[] v, bool isBytes) => string.Join(" → ", v.Select(x => Format(x, isBytes)));

    private static string Format(long value, bool isBytes) => isBytes ? ByteSize.Format(value) : Quantity.Count(value);

    private static string Signed(long delta) => (delta >= 0 ? "+" : "-") + ByteSize.Format(Math.Abs(delta));
}
