namespace LeakLab.Engine;

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
    /// <exception cref="LeakLabException">Fewer than two snapshots, or Top is not positive.</exception>
    public static DiffAnswer Run(IReadOnlyList<HeapAnalysis> snapshots, DiffOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(options);
        int top = VerbOptions.Positive(options.Top, "top");
        if (snapshots.Count < 2)
            throw new LeakLabException($"diff needs at least two snapshots of one process, got {snapshots.Count}");
        return new DiffAnswer(SnapshotComparison.CompareInCaptureOrder(snapshots), top);
    }
}
