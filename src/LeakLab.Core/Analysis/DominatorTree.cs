namespace LeakLab.Core.Analysis;

/// <summary>
/// The exact dominator tree of a heap graph under one virtual root above all roots, and the retained sizes it implies.
/// </summary>
/// <remarks>
/// Semi-NCA (Lengauer–Tarjan's semidominators, then immediate dominators by walking the partial tree) over flat
/// int arrays in DFS-number space, with an explicit DFS stack and iterative path compression, so deep heaps
/// (long linked lists) cannot overflow the stack. One method per phase, over the named arrays of
/// <see cref="DominatorWorkspace"/>. The result keeps 20 bytes per object (immediate dominator, retained bytes
/// and count, dominator-tree preorder). See <see cref="PeakBytes"/>.
/// </remarks>
public sealed class DominatorTree
{
    /// <summary>The immediate dominator of objects held directly by roots.</summary>
    public static NodeId VirtualRoot => new(VirtualRootIndex);
    /// <summary>The immediate dominator reported for objects no root reaches.</summary>
    public static NodeId Unreachable => new(UnreachableIndex);
    internal const int VirtualRootIndex = -1;
    internal const int UnreachableIndex = -2;

    // Columns, so a tree reopened from the graph index reads them mapped from the file.
    internal readonly Column<int> _idom;      // per node: dominator node, VirtualRoot or Unreachable (length NodeCount + 1)
    internal readonly Column<long> _retained; // per node: bytes of its dominator subtree
    internal readonly Column<int> _count;     // per node: objects in its dominator subtree
    internal readonly Column<int> _preorder;  // reachable nodes in dominator-tree preorder (subtrees contiguous)
    internal readonly int _reachable;
    private readonly object _totalsLock = new();
    private volatile RetainedTotals? _totals;
    private long[]? _typeRetained;

    internal DominatorTree(HeapGraph graph, Column<int> idom, Column<long> retained, Column<int> count, Column<int> preorder, int reachable,
        long unreachableCount, long unreachableBytes, long peakBytes)
    {
        Graph = graph;
        _idom = idom;
        _retained = retained;
        _count = count;
        _preorder = preorder;
        _reachable = reachable;
        UnreachableCount = unreachableCount;
        UnreachableBytes = unreachableBytes;
        PeakBytes = peakBytes;
    }

    /// <summary>The attribution forest to use for <see cref="RetainedByRoot"/>; set by <see cref="HeapAnalysis"/> to share its own.</summary>
    internal Func<ShortestPaths>? OwnerSource { get; set; }

    /// <summary>Computes the dominator tree and retained sizes: O((N + E) log N) time, about 24 bytes per object at peak.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked every 65,536 objects).</exception>
    public static DominatorTree Compute(HeapGraph graph, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var work = new DominatorWorkspace(graph, cancellationToken);
        work.DepthFirstSearch();
        work.CollectPredecessors();
        // A graph reopened from its index is mapped: the references (read by the two phases above) and the sizes
        // (read by AccumulateRetained) would otherwise stay resident on top of the later phases' arrays.
        MappedIndex.ReleaseResidentPages();
        work.ComputeSemidominators();
        work.ComputeImmediateDominators();
        work.AccumulateRetained();
        MappedIndex.ReleaseResidentPages();
        work.BuildPreorder();
        (int[] idom, long[] retained, int[] count, int[] preorder) = work.Results();
        int reachable = work.ReachableCount;
        return new DominatorTree(graph, idom, retained, count, preorder, reachable,
            graph.NodeCount - reachable, work.UnreachableBytes, work.PeakBytes);
    }

    public HeapGraph Graph { get; }

    /// <summary>
    /// The most bytes of working and result arrays this computation held at once: what it costs beyond the graph.
    /// </summary>
    public long PeakBytes { get; }

    /// <summary>Objects some root reaches.</summary>
    public int ReachableCount => _reachable;

    /// <summary>The dominating node, <see cref="VirtualRoot"/> for objects only roots dominate, or <see cref="Unreachable"/>.</summary>
    /// <exception cref="IdOutOfRangeException">The node is not in this graph (so for every query below).</exception>
    public NodeId ImmediateDominator(NodeId node) => new(_idom[CheckNode(node)]);

    public bool IsReachable(NodeId node) => _idom[CheckNode(node)] != UnreachableIndex;

    /// <summary>Bytes freed if this object became unreachable (0 for unreachable objects).</summary>
    public long RetainedSize(NodeId node) => _retained[CheckNode(node)];

    /// <summary>Objects freed if this object became unreachable, itself included.</summary>
    public long RetainedCount(NodeId node) => _count[CheckNode(node)];

    /// <summary>Dominators from the node's immediate dominator up to (not including) the virtual root.</summary>
    public IReadOnlyList<NodeId> DominatorChain(NodeId node)
    {
        var chain = new List<NodeId>();
        for (int x = _idom[CheckNode(node)]; x >= 0; x = _idom[x])
            chain.Add(new(x));
        return chain;
    }

    /// <summary>What would be freed if all instances of the type went away.</summary>
    /// <remarks>
    /// The sum of retained sizes over instances not dominated by another instance of the same type. Objects that
    /// two instances keep alive only together are not counted, so this is a lower bound of the exact figure.
    /// </remarks>
    /// <exception cref="IdOutOfRangeException">The type is not in this graph.</exception>
    public long RetainedSizeOfType(TypeId type)
    {
        IdOutOfRangeException.Check(type, Graph.TypeCount);
        // The same figures either way (RetainedTotals computes them with RetainedOfKeys); no forest needed for these alone.
        long[] all = _totals?.TypeRetained
            ?? LazyInitializer.EnsureInitialized(ref _typeRetained, () => RetainedOfKeys(Graph.NodeTypes, Graph.TypeCount));
        return all[type];
    }

    /// <summary>The bytes and objects attributed to a root: its share.</summary>
    /// <remarks>
    /// What only one root keeps alive is that root's retained size (its object's dominator subtree). What several
    /// roots keep alive together (a list a static owns and a local also reaches) no single root retains; it goes to
    /// the root the rule of <see cref="RootPriority"/> picks (the lasting root wins, then the shortest path), with its
    /// whole dominator subtree. So every reachable object counts for exactly one root and the shares add up to the
    /// reachable heap. Roots that name an object another root already claimed get 0.
    /// </remarks>
    /// <exception cref="IdOutOfRangeException">The root is not in this graph.</exception>
    public (long Bytes, long Count) RetainedByRoot(RootId root)
    {
        IdOutOfRangeException.Check(root, Graph.Roots.Count);
        RetainedTotals totals = GetTotals();
        return (totals.RootBytes[root], totals.RootCounts[root]);
    }

    /// <summary>
    /// The figures the retained reports read (<see cref="RetainedTotals"/>): from the graph's index when stored there,
    /// else computed over the tree and the attribution forest (<see cref="OwnerSource"/>), then stored; kept.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before they were done; nothing is kept.</exception>
    internal RetainedTotals GetTotals(CancellationToken cancellationToken = default)
    {
        if (_totals is { } done)
            return done;
        lock (_totalsLock)
        {
            return _totals ??= GraphIndex.Totals(this,
                () => RetainedTotals.Compute(this, OwnerSource?.Invoke() ?? ShortestPaths.Compute(Graph, cancellationToken), cancellationToken));
        }
    }

    public long UnreachableCount { get; }
    public long UnreachableBytes { get; }

    /// <summary>Reachable objects ordered by retained size, largest first (equal sizes by node).</summary>
    public IReadOnlyList<NodeId> TopObjects(int count)
    {
        if (count <= 0)
            return [];
        int[] nodes = _totals is { } totals && totals.Covers(count, _reachable)
            ? [.. totals.LargestObjects(this, count).Select(o => o.Node)]
            : ScanTopObjects(count);
        return Array.ConvertAll(nodes, v => new NodeId(v));
    }

    /// <summary>The first <paramref name="count"/> reachable objects in <see cref="LargestRetained"/>'s order, by a pass over the tree.</summary>
    internal int[] ScanTopObjects(int count)
    {
        var largest = new LargestRetained(Math.Min(count, _reachable));
        ReadOnlySpan<int> preorder = _preorder.Span;
        ReadOnlySpan<long> retained = _retained.Span;
        for (int i = 0; i < _reachable; i++)
            largest.Offer(preorder[i], retained[preorder[i]]);
        return largest.Take();
    }

    /// <summary>
    /// For a grouping of nodes into keys (types, path shapes; negative = none), the retained bytes of each key:
    /// the sum over its nodes that no other node of the same key dominates. One pass over the preorder.
    /// </summary>
    /// <remarks>
    /// In preorder each subtree is an interval [i, i + count). Intervals of one key are nested or disjoint, so a
    /// node is dominated by another of its key exactly when it falls inside the last outermost interval seen.
    /// </remarks>
    internal long[] RetainedOfKeys(Column<int> keys, int keyCount)
    {
        var sums = new long[keyCount];
        var end = new int[keyCount];
        ReadOnlySpan<int> keyOfNode = keys.Span, preorder = _preorder.Span, count = _count.Span;
        ReadOnlySpan<long> retained = _retained.Span;
        for (int i = 0; i < _reachable; i++)
        {
            int v = preorder[i];
            int k = keyOfNode[v];
            if (k < 0 || i < end[k])
                continue;
            sums[k] += retained[v];
            end[k] = i + count[v];
        }
        return sums;
    }

    private int CheckNode(NodeId node) => IdOutOfRangeException.Check(node, Graph.NodeCount);

    // Raw-index forms for Core's inspections, over indexes taken from the graph's own arrays.
    internal bool IsReachable(int node) => IsReachable(new NodeId(node));
    internal long RetainedSize(int node) => RetainedSize(new NodeId(node));
    internal long RetainedCount(int node) => RetainedCount(new NodeId(node));
    internal long RetainedSizeOfType(int type) => RetainedSizeOfType(new TypeId(type));
    internal (long Bytes, long Count) RetainedByRoot(int root) => RetainedByRoot(new RootId(root));
}
