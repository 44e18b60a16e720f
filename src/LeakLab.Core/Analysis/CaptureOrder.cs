namespace LeakLab.Core.Analysis;

/// <summary>
/// Puts snapshots of one process in the order they were taken, by the capture time recorded in each file
/// (<see cref="CaptureStamp"/> in dumps from <c>leaklab dump</c>, the header of .llhg snapshots), never by file times.
/// </summary>
internal static class CaptureOrder
{
    /// <summary>
    /// Oldest first when every snapshot records a distinct capture time; otherwise the order given, unchanged.
    /// <paramref name="note"/> says which happened, for the user: a reordering, or why the given order was kept.
    /// </summary>
    public static IReadOnlyList<T> Sort<T>(IReadOnlyList<T> snapshots, Func<T, SnapshotInfo> info, out string note)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var unknown = snapshots.Where(s => info(s).CapturedAt is null).Select(s => info(s).Label).ToList();
        if (unknown.Count > 0)
        {
            note = $"capture time not recorded in {string.Join(", ", unknown)} (not taken by `leaklab dump` or `leaklab snapshot`): kept the order given, which must be oldest first"
                + Backwards(snapshots, info);
            return snapshots;
        }
        var times = snapshots.Select(s => info(s).CapturedAt!.Value).ToList();
        if (times.Distinct().Count() < times.Count)
        {
            note = "two snapshots record the same capture time: kept the order given, which must be oldest first";
            return snapshots;
        }
        var sorted = snapshots.OrderBy(s => info(s).CapturedAt!.Value).ToList();
        note = sorted.SequenceEqual(snapshots)
            ? "in the order they were taken, by the capture times the files record"
            : $"reordered by the capture times recorded in the files (given: {string.Join(", ", snapshots.Select(s => info(s).Label))})";
        return sorted;
    }

    /// <summary>
    /// The given order kept, the times that are recorded must not contradict it: "; but b.dmp was taken before
    /// a.dmp: give the files oldest first", or "" when they run forwards.
    /// </summary>
    private static string Backwards<T>(IReadOnlyList<T> snapshots, Func<T, SnapshotInfo> info)
    {
        SnapshotInfo? previous = null;
        foreach (T snapshot in snapshots)
        {
            SnapshotInfo current = info(snapshot);
            if (current.CapturedAt is not { } at)
                continue;
            if (previous?.CapturedAt is { } before && at < before)
                return $"; but {current.Label} was taken before {previous.Label}: give the files oldest first";
            previous = current;
        }
        return "";
    }
}
