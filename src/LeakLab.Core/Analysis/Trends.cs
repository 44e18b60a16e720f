namespace LeakLab.Core.Analysis;

/// <summary>A type across snapshots (one array element per snapshot, in the order given).</summary>
public sealed record TypeTrend(string Type, long[] Counts, long[] Bytes, long[] Retained, bool Growing, double Score, string Reason);

/// <summary>A root across snapshots: objects and bytes it retains in each.</summary>
public sealed record RootTrend(RootKind Kind, string Name, long[] Counts, long[] Retained, bool Growing, double Score, string Reason);

/// <summary>A retention-path shape across snapshots: objects whose shortest path has this shape, and their bytes.</summary>
public sealed record PathTrend(RootKind RootKind, string RootName, IReadOnlyList<PathStep> Steps, long[] Counts, long[] Bytes, long[] Retained, bool Growing, double Score, string Reason)
{
    public string Shape => new RetentionPath(RootKind, RootName, Steps, 0, 0).Shape;
}
