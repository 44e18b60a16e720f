namespace LeakLab;

/// <summary>Per-type counts and shallow bytes over a heap graph.</summary>
public static class TypeStatistics
{
    /// <summary>
    /// Rows sorted by bytes (descending), optionally filtered by a case-insensitive substring of the type name.
    /// With <paramref name="dominators"/>, each row carries its type's retained size.
    /// </summary>
    public static IReadOnlyList<TypeStat> Compute(HeapGraph graph, string? typePattern = null, DominatorTree? dominators = null)
        => throw new NotImplementedException("H3");
}
