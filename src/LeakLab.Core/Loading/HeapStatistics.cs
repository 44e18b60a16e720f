namespace LeakLab.Core.Loading;

/// <summary>Per-type counts and shallow bytes of a heap (largest first), and what reading them could not read.</summary>
public sealed record HeapStatistics(IReadOnlyList<TypeStat> Types, LoadReport Load);
