namespace LeakLab.Core.Analysis;

/// <summary>
/// One snapshot and the analyses computed over it, each computed once on first use and kept.
/// </summary>
/// <remarks>
/// A computation that is cancelled keeps nothing, so the next call starts it again (a <see cref="Lazy{T}"/> would
/// keep the cancellation and throw it forever). One computation runs at a time per analysis.
/// </remarks>
public sealed class HeapAnalysis
{
    private readonly object _pathsLock = new();
    private readonly object _dominatorsLock = new();
    private volatile ShortestPaths? _paths;
    private volatile DominatorTree? _dominators;

    public HeapAnalysis(HeapGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
    }

    public HeapGraph Graph { get; }
    public ShortestPaths Paths => GetPaths();
    public DominatorTree Dominators => GetDominators();
    public bool HasDominators => _dominators is not null;

    /// <summary>The retention-path forest, computed on first use.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before the forest was done.</exception>
    public ShortestPaths GetPaths(CancellationToken cancellationToken = default)
    {
        if (_paths is { } done)
            return done;
        lock (_pathsLock)
            return _paths ??= GraphIndex.Paths(Graph, cancellationToken); // from the dump's index when it has one
    }

    /// <summary>The dominator tree and retained sizes, computed on first use.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before the tree was done.</exception>
    public DominatorTree GetDominators(CancellationToken cancellationToken = default)
    {
        if (_dominators is { } done)
            return done;
        lock (_dominatorsLock)
        {
            if (_dominators is null)
            {
                DominatorTree tree = GraphIndex.Dominators(Graph, cancellationToken);
                tree.OwnerSource = () => GetPaths(); // one attribution forest for paths and per-root shares
                _dominators = tree;
            }
            return _dominators;
        }
    }

    public IReadOnlyList<TypeStat> TypeStats(string? typePattern = null, bool withRetained = false, CancellationToken cancellationToken = default) =>
        TypeStatistics.Compute(Graph, typePattern, withRetained ? GetDominators(cancellationToken) : null, cancellationToken);
}
