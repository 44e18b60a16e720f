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
    private RootShares? _rootShares;
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
        long[] all = LazyInitializer.EnsureInitialized(ref _typeRetained, () => RetainedOfKeys(Graph.NodeTypes, Graph.TypeCount));
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
        RootShares shares = LazyInitializer.EnsureInitialized(ref _rootShares, ComputeRootShares);
        return (shares.Bytes[root], shares.Counts[root]);
    }

    private sealed record RootShares(long[] Bytes, long[] Counts);

    private RootShares ComputeRootShares()
    {
        ShortestPaths owners = OwnerSource?.Invoke() ?? ShortestPaths.Compute(Graph);
        var bytes = new long[Graph.Roots.Count];
        var counts = new long[Graph.Roots.Count];
        // Spans over the whole arrays (a mapped column checks them once) rather than per-value reads.
        ReadOnlySpan<int> idom = _idom.Span;
        for (int v = 0; v < Graph.NodeCount; v++)
        {
            // The tops of the dominator tree: their subtrees partition the reachable heap.
            if (idom[v] != VirtualRootIndex)
                continue;
            int r = owners.RootIndex[v];
            bytes[r] += _retained[v];
            counts[r] += _count[v];
        }
        return new RootShares(bytes, counts);
    }

    public long UnreachableCount { get; }
    public long UnreachableBytes { get; }

    /// <summary>Reachable objects ordered by retained size, largest first.</summary>
    public IReadOnlyList<NodeId> TopObjects(int count)
    {
        if (count <= 0)
            return [];
        // A min-heap of the best `count` so far: O(N log count), no per-node allocation.
        var heap = new PriorityQueue<int, long>(Math.Min(count, _reachable) + 1);
        ReadOnlySpan<int> preorder = _preorder.Span;
        ReadOnlySpan<long> retained = _retained.Span;
        for (int i = 0; i < _reachable; i++)
        {
            int v = preorder[i];
            long r = retained[v];
            if (heap.Count < count)
                heap.Enqueue(v, r);
            else if (heap.TryPeek(out _, out long smallest) && r > smallest)
                heap.EnqueueDequeue(v, r);
        }
        var top = new NodeId[heap.Count];
        for (int i = top.Length - 1; i >= 0; i--)
            top[i] = new(heap.Dequeue());
        // Equal sizes come out of the heap in no set order; sort them by node for stable output.
        Array.Sort(top, (a, b) => _retained[a] != _retained[b] ? _retained[b].CompareTo(_retained[a]) : a.CompareTo(b));
        return top;
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
