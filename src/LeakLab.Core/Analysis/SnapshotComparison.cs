namespace LeakLab;

/// <summary>
/// Two or more snapshots of one process compared in time order: per type, per root and per retention-path
/// shape, with a growth classifier that ranks suspects.
/// </summary>
public sealed class SnapshotComparison
{
    private SnapshotComparison() { }

    /// <summary>Compares snapshots given oldest first. Computes dominators and shortest paths of each if not yet done.</summary>
    public static SnapshotComparison Compare(IReadOnlyList<HeapAnalysis> snapshots) => throw new NotImplementedException("H3");

    public IReadOnlyList<SnapshotInfo> Snapshots => throw new NotImplementedException("H3");
    /// <summary>Every type present in any snapshot; suspects (growing, by score) first.</summary>
    public IReadOnlyList<TypeTrend> Types => throw new NotImplementedException("H3");
    public IReadOnlyList<RootTrend> Roots => throw new NotImplementedException("H3");
    public IReadOnlyList<PathTrend> Paths => throw new NotImplementedException("H3");
    /// <summary>Types absent from the first snapshot and present in the last.</summary>
    public IReadOnlyList<string> NewTypes => throw new NotImplementedException("H3");
    /// <summary>Types present in the first snapshot and absent from the last.</summary>
    public IReadOnlyList<string> GoneTypes => throw new NotImplementedException("H3");
    public int CommonTypeCount => throw new NotImplementedException("H3");
}
