namespace LeakLab;

/// <summary>
/// One snapshot and the analyses computed over it, each computed once on first use and kept.
/// </summary>
public sealed class HeapAnalysis
{
    private readonly Lazy<ShortestPaths> _paths;
    private readonly Lazy<DominatorTree> _dominators;

    public HeapAnalysis(HeapGraph graph)
    {
        Graph = graph;
        _paths = new Lazy<ShortestPaths>(() => GraphIndex.Paths(graph)); // from the dump's index when it has one
        _dominators = new Lazy<DominatorTree>(() =>
        {
            DominatorTree tree = GraphIndex.Dominators(graph);
            tree.OwnerSource = () => _paths.Value; // one attribution forest for paths and per-root shares
            return tree;
        });
    }

    public HeapGraph Graph { get; }
    public ShortestPaths Paths => _paths.Value;
    public DominatorTree Dominators => _dominators.Value;
    public bool HasDominators => _dominators.IsValueCreated;

    public IReadOnlyList<TypeStat> TypeStats(string? typePattern = null, bool withRetained = false) =>
        TypeStatistics.Compute(Graph, typePattern, withRetained ? Dominators : null);
}
