namespace LeakLab;

/// <summary>
/// The exact dominator tree of a heap graph under one virtual root above all roots, and the retained sizes it implies.
/// </summary>
/// <remarks>
/// Semi-NCA (Lengauer–Tarjan's semidominators, then immediate dominators by walking the partial tree) over flat
/// int arrays in DFS-number space, with an explicit DFS stack and iterative path compression, so deep heaps
/// (long linked lists) cannot overflow the stack. Temporaries are reused across phases; the result keeps 20 bytes
/// per object (immediate dominator, retained bytes and count, dominator-tree preorder). See <see cref="PeakBytes"/>.
/// </remarks>
public sealed class DominatorTree
{
    /// <summary>The immediate dominator of objects held directly by roots.</summary>
    public const int VirtualRoot = -1;
    /// <summary>The immediate dominator reported for objects no root reaches.</summary>
    public const int Unreachable = -2;

    internal readonly int[] _idom;      // per node: dominator node, VirtualRoot or Unreachable (length NodeCount + 1)
    internal readonly long[] _retained; // per node: bytes of its dominator subtree
    internal readonly int[] _count;     // per node: objects in its dominator subtree
    internal readonly int[] _preorder;  // reachable nodes in dominator-tree preorder (subtrees contiguous)
    internal readonly int _reachable;
    private RootShares? _rootShares;
    private long[]? _typeRetained;

    internal DominatorTree(HeapGraph graph, int[] idom, long[] retained, int[] count, int[] preorder, int reachable,
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

    public static DominatorTree Compute(HeapGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int n = graph.NodeCount;
        int[] edgeStart = graph.EdgeStart;
        int[] targets = graph.EdgeTargets;

        // Phase 1: iterative DFS from the virtual root (DFS number 0); its children are the roots' objects in
        // priority order. dfnum 0 means not visited, so real objects are numbered from 1.
        // Every edge is looked at exactly once here, and its target's DFS number is known then, so the DFS also
        // counts each object's non-tree predecessors. The tree predecessor (the DFS parent) needs no list: it is
        // unprocessed when its child is, so it contributes exactly itself to the semidominator. Edges that repeat
        // a tree edge add nothing either. Heaps are mostly trees, so this leaves few predecessors to store and
        // spares the second and third passes over all edges that a full reverse graph costs.
        var dfnum = new int[n + 1];     // node -> DFS number; reused as `ancestor`, then as the node-space idom
        // The next four are written before they are read (entries past m - 1 never are), so they skip zeroing.
        var vertex = GC.AllocateUninitializedArray<int>(n + 1);  // DFS number -> node
        var parent = GC.AllocateUninitializedArray<int>(n + 1);  // DFS-tree parent; becomes the immediate dominator in place
        var work1 = GC.AllocateUninitializedArray<int>(n + 1);   // DFS edge cursor, `semi`, retained counts, preorder slots
        var work2 = GC.AllocateUninitializedArray<int>(n + 1);   // DFS stack, then `label`, then the preorder itself
        var predStart = new int[n + 2]; // DFS number -> count of non-tree predecessors, then their CSR offsets
        var hasCross = new ulong[((n + 1) >> 6) + 1]; // DFS numbers with an out-edge that is no tree edge
        long peak = 6L * 4 * (n + 1) + 8L * hasCross.Length;

        int next = 1;
        int predTotal = 0;
        vertex[0] = -1;
        var roots = graph.Roots;
        int[] rootOrder = RootPriority.Ordered(graph);
        foreach (int r in rootOrder)
        {
            int start = roots[r].Node;
            int ds = dfnum[start];
            if (ds != 0)
            {
                if (parent[ds] != 0)
                {
                    predStart[ds]++; // the virtual root; again only when it is not the DFS parent already
                    predTotal++;
                }
                continue;
            }
            int[] cursor = work1, stack = work2;
            dfnum[start] = next; vertex[next] = start; parent[next] = 0; cursor[next] = edgeStart[start];
            int sp = 0;
            stack[sp++] = next++;
            while (sp > 0)
            {
                int d = stack[sp - 1];
                int c = cursor[d], end = edgeStart[vertex[d] + 1];
                int dt = 0;
                while (c < end && (dt = dfnum[targets[c]]) != 0)
                {
                    if (dt != d && parent[dt] != d)
                    {
                        predStart[dt]++;
                        predTotal++;
                        hasCross[d >> 6] |= 1UL << d;
                    }
                    c++;
                }
                if (c == end)
                {
                    sp--;
                    continue;
                }
                cursor[d] = c + 1;
                int t = targets[c];
                dfnum[t] = next; vertex[next] = t; parent[next] = d; cursor[next] = edgeStart[t];
                stack[sp++] = next++;
            }
        }
        int m = next; // DFS numbers 0..m-1, the virtual root included

        // Phase 2: the non-tree predecessors as a reverse CSR, by counting sort, rescanning only the objects
        // the DFS flagged. The test is the DFS's own (parents are final), so the counts match.
        var preds = new int[predTotal];
        peak += 4L * predTotal;
        for (int i = 1; i <= m; i++)
            predStart[i] += predStart[i - 1]; // now the end of each list; filling walks it back to the start
        for (int word = 0; word < hasCross.Length; word++)
        {
            for (ulong bits = hasCross[word]; bits != 0; bits &= bits - 1)
            {
                int d = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                int u = vertex[d];
                for (int e = edgeStart[u], end = edgeStart[u + 1]; e < end; e++)
                {
                    int dt = dfnum[targets[e]];
                    if (dt != d && parent[dt] != d)
                        preds[--predStart[dt]] = d;
                }
            }
        }
        foreach (int r in rootOrder)
        {
            int ds = dfnum[roots[r].Node];
            if (parent[ds] != 0)
                preds[--predStart[ds]] = 0;
        }
        hasCross = null!;

        // Phase 3: semidominators, vertices in reverse DFS order, with a path-compressed forest. The DFS parent
        // is a predecessor not yet linked into the forest, so it yields its own number: the starting minimum.
        int[] ancestor = dfnum, semi = work1, label = work2;
        for (int i = 0; i < m; i++)
        {
            ancestor[i] = -1;
            semi[i] = i;
            label[i] = i;
        }
        var compressStack = new int[64];
        for (int w = m - 1; w > 0; w--)
        {
            int s = parent[w];
            for (int k = predStart[w], end = predStart[w + 1]; k < end; k++)
            {
                int v = preds[k];
                int u = ancestor[v] == -1 ? v : Eval(v, ancestor, semi, label, ref compressStack);
                if (semi[u] < s)
                    s = semi[u];
            }
            semi[w] = s;
            ancestor[w] = parent[w];
        }
        preds = null!;
        predStart = null!;

        // Phase 4: immediate dominators (NCA of the DFS parent and the semidominator), in place over `parent`.
        int[] idomDfs = parent;
        for (int w = 1; w < m; w++)
        {
            int x = parent[w];
            int sw = semi[w];
            while (x > sw)
                x = idomDfs[x];
            idomDfs[w] = x;
            semi[w] = 1; // read for the last time: start w's retained count (phase 5) with itself
        }

        // Phase 5: results. Dominators have smaller DFS numbers than what they dominate, so one backward sweep
        // accumulates every subtree. Counts add up in DFS-number space (sequential, in the free `semi` array);
        // bytes in the node-space result.
        int[] idom = dfnum;
        Array.Fill(idom, Unreachable);
        for (int d = 1; d < m; d++)
            idom[vertex[d]] = idomDfs[d] == 0 ? VirtualRoot : vertex[idomDfs[d]];

        var retained = new long[n];
        var count = GC.AllocateUninitializedArray<int>(n); // every entry is written in phase 6 or the last loop
        peak = Math.Max(peak, 5L * 4 * (n + 1) + 12L * n);
        int[] countDfs = work1;
        for (int d = m - 1; d > 0; d--)
        {
            int v = vertex[d];
            long r = retained[v] + graph.Size(v);
            retained[v] = r;
            int p = idomDfs[d];
            if (p != 0)
            {
                retained[vertex[p]] += r;
                countDfs[p] += countDfs[d];
            }
        }

        // Phase 6: dominator-tree preorder without child lists: each node takes the next free slot of its
        // dominator's interval, whose length is the dominator's retained count. A node's slot cursor replaces
        // its count in the same array once read (dominators come first in DFS order, so no count is lost).
        int[] slot = work1, preorder = work2;
        slot[0] = 0;
        for (int d = 1; d < m; d++)
        {
            int v = vertex[d];
            int c = countDfs[d];
            count[v] = c;
            int p = idomDfs[d];
            int pos = slot[p];
            preorder[pos] = v;
            slot[p] = pos + c;
            slot[d] = pos + 1;
        }

        long unreachableBytes = 0;
        for (int v = 0; v < n; v++)
        {
            if (idom[v] == Unreachable)
            {
                count[v] = 0;
                unreachableBytes += graph.Size(v);
            }
        }
        return new DominatorTree(graph, idom, retained, count, preorder, m - 1, n - (m - 1), unreachableBytes, peak);
    }

    /// <summary>The node on <paramref name="v"/>'s forest path with the least semidominator, compressing the path.</summary>
    private static int Eval(int v, int[] ancestor, int[] semi, int[] label, ref int[] stack)
    {
        int sp = 0;
        for (int x = v; ancestor[ancestor[x]] != -1; x = ancestor[x])
        {
            if (sp == stack.Length)
                Array.Resize(ref stack, stack.Length * 2);
            stack[sp++] = x;
        }
        while (sp > 0)
        {
            int y = stack[--sp];
            int a = ancestor[y];
            if (semi[label[a]] < semi[label[y]])
                label[y] = label[a];
            ancestor[y] = ancestor[a];
        }
        return label[v];
    }

    public HeapGraph Graph { get; }

    /// <summary>
    /// The most bytes of working and result arrays this computation held at once: what it costs beyond the graph.
    /// </summary>
    public long PeakBytes { get; }

    /// <summary>Objects some root reaches.</summary>
    public int ReachableCount => _reachable;

    /// <summary>The dominating node, <see cref="VirtualRoot"/> for objects only roots dominate, or <see cref="Unreachable"/>.</summary>
    public int ImmediateDominator(int node) => _idom[CheckNode(node)];

    public bool IsReachable(int node) => _idom[CheckNode(node)] != Unreachable;

    /// <summary>Bytes freed if this object became unreachable (0 for unreachable objects).</summary>
    public long RetainedSize(int node) => _retained[CheckNode(node)];

    /// <summary>Objects freed if this object became unreachable, itself included.</summary>
    public long RetainedCount(int node) => _count[CheckNode(node)];

    /// <summary>Dominators from the node's immediate dominator up to (not including) the virtual root.</summary>
    public IReadOnlyList<int> DominatorChain(int node)
    {
        var chain = new List<int>();
        for (int x = _idom[CheckNode(node)]; x >= 0; x = _idom[x])
            chain.Add(x);
        return chain;
    }

    /// <summary>What would be freed if all instances of the type went away.</summary>
    /// <remarks>
    /// The sum of retained sizes over instances not dominated by another instance of the same type. Objects that
    /// two instances keep alive only together are not counted, so this is a lower bound of the exact figure.
    /// </remarks>
    public long RetainedSizeOfType(int typeId)
    {
        if ((uint)typeId >= (uint)Graph.TypeCount)
            throw new ArgumentOutOfRangeException(nameof(typeId), $"Type id {typeId} is not in this graph ({Graph.TypeCount} types).");
        long[] all = LazyInitializer.EnsureInitialized(ref _typeRetained, () => RetainedOfKeys(Graph.NodeTypes, Graph.TypeCount));
        return all[typeId];
    }

    /// <summary>The bytes and objects attributed to a root (index into <see cref="HeapGraph.Roots"/>): its share.</summary>
    /// <remarks>
    /// What only one root keeps alive is that root's retained size (its object's dominator subtree). What several
    /// roots keep alive together (a list a static owns and a local also reaches) no single root retains; it goes to
    /// the root the rule of <see cref="RootPriority"/> picks (the lasting root wins, then the shortest path), with its
    /// whole dominator subtree. So every reachable object counts for exactly one root and the shares add up to the
    /// reachable heap. Roots that name an object another root already claimed get 0.
    /// </remarks>
    public (long Bytes, long Count) RetainedByRoot(int rootIndex)
    {
        RootShares shares = LazyInitializer.EnsureInitialized(ref _rootShares, ComputeRootShares);
        if ((uint)rootIndex >= (uint)shares.Bytes.Length)
            throw new ArgumentOutOfRangeException(nameof(rootIndex), $"Root {rootIndex} is not in this graph ({shares.Bytes.Length} roots).");
        return (shares.Bytes[rootIndex], shares.Counts[rootIndex]);
    }

    private sealed record RootShares(long[] Bytes, long[] Counts);

    private RootShares ComputeRootShares()
    {
        ShortestPaths owners = OwnerSource?.Invoke() ?? ShortestPaths.Compute(Graph);
        var bytes = new long[Graph.Roots.Count];
        var counts = new long[Graph.Roots.Count];
        for (int v = 0; v < Graph.NodeCount; v++)
        {
            // The tops of the dominator tree: their subtrees partition the reachable heap.
            if (_idom[v] != VirtualRoot)
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
    public IReadOnlyList<int> TopObjects(int count)
    {
        if (count <= 0)
            return [];
        // A min-heap of the best `count` so far: O(N log count), no per-node allocation.
        var heap = new PriorityQueue<int, long>(Math.Min(count, _reachable) + 1);
        for (int i = 0; i < _reachable; i++)
        {
            int v = _preorder[i];
            long r = _retained[v];
            if (heap.Count < count)
                heap.Enqueue(v, r);
            else if (heap.TryPeek(out _, out long smallest) && r > smallest)
                heap.EnqueueDequeue(v, r);
        }
        var top = new int[heap.Count];
        for (int i = top.Length - 1; i >= 0; i--)
            top[i] = heap.Dequeue();
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
    internal long[] RetainedOfKeys(int[] keyOfNode, int keyCount)
    {
        var sums = new long[keyCount];
        var end = new int[keyCount];
        for (int i = 0; i < _reachable; i++)
        {
            int v = _preorder[i];
            int k = keyOfNode[v];
            if (k < 0 || i < end[k])
                continue;
            sums[k] += _retained[v];
            end[k] = i + _count[v];
        }
        return sums;
    }

    private int CheckNode(int node)
    {
        if ((uint)node >= (uint)Graph.NodeCount)
            throw new ArgumentOutOfRangeException(nameof(node), $"Node {node} is not in this graph ({Graph.NodeCount:N0} nodes).");
        return node;
    }
}
