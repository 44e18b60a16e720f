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
/// <param name="TotalBytes">Shallow bytes of every object of the graph, unreachable ones included.</param>
/// <param name="TypeCounts">Per type id: reachable instances.</param>
/// <param name="TypeBytes">Per type id: shallow bytes of the reachable instances.</param>
/// <param name="TypeRetained">Per type id: <see cref="DominatorTree.RetainedSizeOfType"/>.</param>
/// <param name="RootBytes">Per root id: the bytes of its share (<see cref="DominatorTree.RetainedByRoot"/>).</param>
/// <param name="RootCounts">Per root id: the objects of its share.</param>
/// <param name="RootTypes">Per root id: the type id of its object.</param>
/// <param name="RootAddresses">Per root id: the address of its object.</param>
/// <param name="Largest">The first <see cref="StoredObjects"/> (or all reachable) objects in <see cref="LargestRetained"/>'s order.</param>
internal sealed record RetainedTotals(long TotalBytes, long[] TypeCounts, long[] TypeBytes, long[] TypeRetained, long[] RootBytes,
    long[] RootCounts, int[] RootTypes, ulong[] RootAddresses, RetainedTotals.LargeObject[] Largest)
{
    /// <summary>How many of the largest objects are kept: a larger top is answered by a scan of the tree.</summary>
    public const int StoredObjects = 1_000;

    /// <summary>One of the largest objects with what the reports show of it.</summary>
    public readonly record struct LargeObject(int Node, int Type, ulong Address, long Size, long Retained, long RetainedCount);

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
