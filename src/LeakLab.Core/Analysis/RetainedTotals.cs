namespace LeakLab.Core.Analysis;

/// <summary>
/// The few figures the retained reports read from a dominator tree, reduced from its per-object arrays once: per type
/// the reachable objects, their bytes and the type's retained bytes; per root its share (bytes, objects) and its
/// object's address and type; the largest objects by retained size with what the reports show of them; and the bytes
/// of the whole graph. Small (some bytes per type and root), so the graph index stores them and a reopened report
/// reads no per-object array at all.
/// </summary>
/// <remarks>
/// The only place these figures are computed: <see cref="DominatorTree.RetainedByRoot"/>,
/// <see cref="DominatorTree.RetainedSizeOfType"/>, <see cref="DominatorTree.TopObjects"/> and
/// <see cref="TypeStatistics.Reachable"/> answer from them once they exist, fresh or stored alike.
/// </remarks>
internal sealed class RetainedTotals
{
    /// <summary>How many of the largest objects are kept: a larger top is answered by a scan of the tree.</summary>
    public const int StoredObjects = 1_000;

    /// <summary>One of the largest objects with what the reports show of it.</summary>
    public readonly record struct LargeObject(int Node, int Type, ulong Address, long Size, long Retained, long RetainedCount);

    public RetainedTotals(long totalBytes, long[] typeCounts, long[] typeBytes, long[] typeRetained, long[] rootBytes,
        long[] rootCounts, int[] rootTypes, ulong[] rootAddresses, LargeObject[] largest)
    {
        TotalBytes = totalBytes;
        TypeCounts = typeCounts;
        TypeBytes = typeBytes;
        TypeRetained = typeRetained;
        RootBytes = rootBytes;
        RootCounts = rootCounts;
        RootTypes = rootTypes;
        RootAddresses = rootAddresses;
        Largest = largest;
    }

    /// <summary>Shallow bytes of every object of the graph, unreachable ones included.</summary>
    public long TotalBytes { get; }
    /// <summary>Per type id: reachable instances.</summary>
    public long[] TypeCounts { get; }
    /// <summary>Per type id: shallow bytes of the reachable instances.</summary>
    public long[] TypeBytes { get; }
    /// <summary>Per type id: <see cref="DominatorTree.RetainedSizeOfType"/>.</summary>
    public long[] TypeRetained { get; }
    /// <summary>Per root id: the bytes of its share (<see cref="DominatorTree.RetainedByRoot"/>).</summary>
    public long[] RootBytes { get; }
    /// <summary>Per root id: the objects of its share.</summary>
    public long[] RootCounts { get; }
    /// <summary>Per root id: the type id of its object.</summary>
    public int[] RootTypes { get; }
    /// <summary>Per root id: the address of its object.</summary>
    public ulong[] RootAddresses { get; }
    /// <summary>The first <see cref="StoredObjects"/> (or all reachable) objects in <see cref="LargestRetained"/>'s order.</summary>
    public LargeObject[] Largest { get; }

    /// <summary>True when <see cref="Largest"/> holds the answer for a top of <paramref name="count"/>.</summary>
    public bool Covers(int count, int reachable) => count <= Largest.Length || Largest.Length == reachable;

    /// <summary>One pass over the objects in node order (sizes, types, shares, largest), one over the tree's preorder (types' retained bytes).</summary>
    /// <param name="owners">The attribution forest of the per-root shares (see <see cref="DominatorTree.RetainedByRoot"/>).</param>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked every 65,536 objects).</exception>
    public static RetainedTotals Compute(DominatorTree tree, ShortestPaths owners, CancellationToken cancellationToken = default)
    {
        HeapGraph graph = tree.Graph;
        int types = graph.TypeCount, roots = graph.Roots.Count;
        var typeCounts = new long[types];
        var typeBytes = new long[types];
        var rootBytes = new long[roots];
        var rootCounts = new long[roots];
        var largest = new LargestRetained(Math.Min(StoredObjects, tree.ReachableCount));
        long totalBytes = 0;
        // Spans over the whole arrays (a mapped column checks them once) rather than per-value reads.
        ReadOnlySpan<int> nodeTypes = graph.NodeTypes.Span, idom = tree._idom.Span, count = tree._count.Span, rootOf = owners.RootIndex.Span;
        ReadOnlySpan<uint> sizes = graph.NodeSizes.Span;
        ReadOnlySpan<long> retained = tree._retained.Span;
        for (int v = 0; v < nodeTypes.Length; v++)
        {
            if ((v & CancelCheck.Mask) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            long size = sizes[v] != uint.MaxValue ? sizes[v] : graph.SizeAt(v);
            totalBytes += size;
            int dominator = idom[v];
            if (dominator == DominatorTree.UnreachableIndex)
                continue;
            int t = nodeTypes[v];
            typeCounts[t]++;
            typeBytes[t] += size;
            largest.Offer(v, retained[v]);
            if (dominator == DominatorTree.VirtualRootIndex)
            {
                // The tops of the dominator tree: their subtrees partition the reachable heap.
                int r = rootOf[v];
                rootBytes[r] += retained[v];
                rootCounts[r] += count[v];
            }
        }
        long[] typeRetained = tree.RetainedOfKeys(graph.NodeTypes, types);

        var rootTypes = new int[roots];
        var rootAddresses = new ulong[roots];
        for (int r = 0; r < roots; r++)
        {
            int node = graph.Roots[r].Node;
            rootTypes[r] = nodeTypes[node];
            rootAddresses[r] = graph.Addresses[node];
        }
        return new RetainedTotals(totalBytes, typeCounts, typeBytes, typeRetained, rootBytes, rootCounts, rootTypes, rootAddresses,
            Describe(tree, largest.Take()));
    }

    /// <summary>The largest objects for a top of <paramref name="count"/>: stored when <see cref="Covers"/>, else a scan of the tree.</summary>
    public IReadOnlyList<LargeObject> LargestObjects(DominatorTree tree, int count)
    {
        if (count <= 0)
            return [];
        if (Covers(count, tree.ReachableCount))
            return Largest.Length <= count ? Largest : Largest[..count];
        return Describe(tree, tree.ScanTopObjects(count));
    }

    private static LargeObject[] Describe(DominatorTree tree, int[] nodes)
    {
        HeapGraph graph = tree.Graph;
        var objects = new LargeObject[nodes.Length];
        for (int i = 0; i < nodes.Length; i++)
        {
            int v = nodes[i];
            objects[i] = new LargeObject(v, graph.NodeTypes[v], graph.Addresses[v], graph.SizeAt(v), tree._retained[v], tree._count[v]);
        }
        return objects;
    }
}
