namespace LeakLab.Engine.Verbs;

/// <summary>Options of <see cref="DiffVerb"/>.</summary>
public sealed record DiffOptions
{
    /// <summary>Rows per table when shown as text; positive. The default is every table's (<see cref="StatsOptions.DefaultTop"/>).</summary>
    public int Top { get; init; } = StatsOptions.DefaultTop;
}

/// <summary>What <see cref="DiffVerb"/> found: the comparison and how many rows per table to show.</summary>
public sealed record DiffAnswer(SnapshotComparison Comparison, int Top);

/// <summary>Compares snapshots of one process: types, roots and path shapes that grow, suspects first.</summary>
public static class DiffVerb
{
    /// <param name="snapshots">Two or more snapshots; ordered by the capture times recorded in them, else taken as given (oldest first).</param>
    /// <param name="cancel">Stops the analyses of each snapshot (the host's Ctrl+C or cell cancel).</param>
    /// <exception cref="LeakLabException">Fewer than two snapshots, or Top is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled; the analyses keep what they finished.</exception>
    public static DiffAnswer Run(IReadOnlyList<HeapAnalysis> snapshots, DiffOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(options);
        int top = VerbOptions.Positive(options.Top, "top");
        if (snapshots.Count < 2)
            throw new LeakLabException(LeakLabErrorKind.NotReady, $"diff needs at least two snapshots of one process, got {snapshots.Count}");
        return new DiffAnswer(SnapshotComparison.CompareInCaptureOrder(snapshots, cancel), top);
    }

    /// <summary>
    /// As <see cref="Run(IReadOnlyList{HeapAnalysis}, DiffOptions, CancellationToken)"/>, holding one snapshot in memory at a time: the
    /// infos order them, then <paramref name="load"/> gives each (by its index in <paramref name="infos"/>) once.
    /// </summary>
    /// <exception cref="LeakLabException">Fewer than two snapshots, or Top is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public static DiffAnswer Run(IReadOnlyList<SnapshotInfo> infos, Func<int, HeapAnalysis> load, DiffOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(infos);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(options);
        int top = VerbOptions.Positive(options.Top, "top");
        if (infos.Count < 2)
            throw new LeakLabException(LeakLabErrorKind.NotReady, $"diff needs at least two snapshots of one process, got {infos.Count}");
        return new DiffAnswer(SnapshotComparison.CompareInCaptureOrder(infos, load, cancel), top);
    }
}
