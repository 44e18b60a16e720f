namespace LeakLab;

/// <summary>
/// The breadth-first shortest-path tree from all roots, computed once; every retention-path query reads it.
/// </summary>
public sealed class ShortestPaths
{
    private ShortestPaths() { }

    public static ShortestPaths Compute(HeapGraph graph) => throw new NotImplementedException("H3");

    public HeapGraph Graph => throw new NotImplementedException("H3");

    /// <summary>True if some root reaches the node.</summary>
    public bool IsReachable(int node) => throw new NotImplementedException("H3");

    /// <summary>The root whose path reaches the node first, or null when unreachable.</summary>
    public HeapRoot? RootOf(int node) => throw new NotImplementedException("H3");

    /// <summary>Nodes from the root's object to <paramref name="node"/>, inclusive; empty when unreachable.</summary>
    public IReadOnlyList<int> PathTo(int node) => throw new NotImplementedException("H3");

    /// <summary>Shortest paths to the given nodes, grouped by shape, most common first.</summary>
    public IReadOnlyList<RetentionPath> GroupedPaths(IEnumerable<int> targets, int limit = 10) => throw new NotImplementedException("H3");

    /// <summary>Grouped paths to every instance of the types matching the pattern (exact normalised name first, else substring).</summary>
    public IReadOnlyList<RetentionPath> PathsToType(string typePattern, int limit = 10) => throw new NotImplementedException("H3");

    /// <summary>The path to one object by address; empty when the address is not an object or is unreachable.</summary>
    public IReadOnlyList<RetentionPath> PathsToAddress(ulong address) => throw new NotImplementedException("H3");
}
