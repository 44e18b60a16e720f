namespace LeakLab.Core.Analysis;

/// <summary>
/// The working arrays of one <see cref="DominatorTree"/> computation and its phases, one method each:
/// <see cref="DepthFirstSearch"/>, <see cref="CollectPredecessors"/>, <see cref="ComputeSemidominators"/>,
/// <see cref="ComputeImmediateDominators"/>, <see cref="AccumulateRetained"/>, <see cref="BuildPreorder"/>.
/// </summary>
/// <remarks>
/// Each array has one name and one meaning. "DFS number" arrays have n + 1 entries indexed by DFS number
/// (0 = the virtual root above all roots, objects from 1); "node" arrays are indexed by node. To keep the peak at
/// five ints per object during the DFS (which also keeps the references resident) and six after, a phase that is done with an array hands its storage to the next phase's array by
/// <see cref="Take"/>, at the phase boundary and nowhere else; the handed-over array is null afterwards, so a
/// late read fails loudly. Hot loops copy fields into locals (the JIT keeps locals in registers and drops
/// bounds checks on them). Cancellation is checked once per <see cref="CancelCheck.Interval"/> objects.
/// </remarks>
internal sealed class DominatorWorkspace
{
    private const int InitialStack = 4096;
    private const int GiveBackNodes = 1 << 20;
    private readonly HeapGraph _graph;
    private readonly CancellationToken _cancel;
    private readonly int _n;
    private int _m;                  // DFS numbers 0.._m-1 are in use, the virtual root included
    private int[] _rootOrder;        // root indexes in attribution order (RootPriority)

    // Phase 1, the DFS.
    private int[]? _dfsNumber;       // node -> DFS number, 0 = not visited
    private readonly int[] _vertex;  // DFS number -> node (phases 1-6)
    private int[]? _parent;          // DFS number -> DFS-tree parent
    private int[]? _edgeCursor;      // DFS number -> next edge the DFS looks at
    private int[]? _dfsStack;        // DFS numbers on the DFS path
    private int[]? _predStart;       // DFS number -> non-tree predecessor count, then (phase 2) CSR offsets
    private ulong[]? _hasCross;      // bit per DFS number: an out-edge that is no tree edge
    private int _predTotal;

    // Phase 2.
    private int[]? _preds;           // non-tree predecessors' DFS numbers, grouped by _predStart

    // Phase 3, over the path-compressed forest.
    private int[]? _ancestor;        // DFS number -> forest ancestor, -1 = not linked yet (from _dfsNumber)
    private int[]? _semi;            // DFS number -> semidominator (from _edgeCursor)
    private int[]? _label;           // DFS number -> least-semidominator vertex on its compressed path (new)

    // Phase 4.
    private int[]? _idomDfs;         // DFS number -> immediate dominator's DFS number (in place over _parent)

    // Phase 5, the results.
    private int[]? _idom;            // node -> dominator node, VirtualRoot or Unreachable (from _ancestor)
    private int[]? _subtreeCount;    // DFS number -> objects in its dominator subtree (from _semi)
    private long[]? _retained;       // node -> bytes of its dominator subtree
    private int[]? _count;           // node -> objects of its dominator subtree

    // Phase 6.
    private int[]? _slot;            // DFS number -> next free preorder position in its subtree (from _subtreeCount)
    private int[]? _preorder;        // reachable nodes in dominator-tree preorder (from _label)

    public DominatorWorkspace(HeapGraph graph, CancellationToken cancel)
    {
        _graph = graph;
        _cancel = cancel;
        _n = graph.NodeCount;
        _rootOrder = RootPriority.Ordered(graph);
        int n = _n;
        _dfsNumber = new int[n + 1];
        // The next four are written before they are read (entries past _m - 1 never are), so they skip zeroing.
        _vertex = GC.AllocateUninitializedArray<int>(n + 1);
        _parent = GC.AllocateUninitializedArray<int>(n + 1);
        _edgeCursor = GC.AllocateUninitializedArray<int>(n + 1);
        // The DFS path is as long as the heap is deep, rarely more than a few thousand: it grows when it must, so the
        // DFS (which also keeps the references resident) holds one array of n less.
        _dfsStack = GC.AllocateUninitializedArray<int>(Math.Min(n + 1, InitialStack));
        _predStart = new int[n + 2];
        _hasCross = new ulong[((n + 1) >> 6) + 1];
        PeakBytes = 5L * 4 * (n + 1) + 4L * _dfsStack.Length + 8L * _hasCross.Length;
    }

    /// <summary>The most bytes of working and result arrays held at once.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>
    /// Phase 1: iterative DFS from the virtual root (DFS number 0), whose children are the roots' objects in
    /// priority order; also counts each object's non-tree predecessors.
    /// </summary>
    /// <remarks>
    /// Every edge is looked at exactly once here, and its target's DFS number is known then, so the DFS also counts
    /// the non-tree predecessors. The tree predecessor (the DFS parent) needs no list: it is unprocessed when its
    /// child is, so it contributes exactly itself to the semidominator. Edges that repeat a tree edge add nothing
    /// either. Heaps are mostly trees, so this leaves few predecessors to store and spares the second and third
    /// passes over all edges that a full reverse graph costs.
    /// </remarks>
    public void DepthFirstSearch()
    {
        _cancel.ThrowIfCancellationRequested();
        ReadOnlySpan<int> edgeStart = _graph.EdgeStart.Span, targets = _graph.EdgeTargets.Span;
        int[] dfnum = _dfsNumber!, vertex = _vertex, parent = _parent!, cursor = _edgeCursor!, stack = _dfsStack!;
        int[] predStart = _predStart!;
        ulong[] hasCross = _hasCross!;
        IReadOnlyList<HeapRoot> roots = _graph.Roots;
        int next = 1;
        int predTotal = 0;
        vertex[0] = -1;
        foreach (int r in _rootOrder)
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
                if ((next & CancelCheck.Mask) == 0)
                    _cancel.ThrowIfCancellationRequested();
                dfnum[t] = next; vertex[next] = t; parent[next] = d; cursor[next] = edgeStart[t];
                if (sp == stack.Length)
                {
                    Array.Resize(ref stack, (int)Math.Min(2L * stack.Length, _n + 1L)); // the path never exceeds n + 1
                    _dfsStack = stack;
                    PeakBytes = Math.Max(PeakBytes, 5L * 4 * (_n + 1) + 4L * stack.Length + 8L * hasCross.Length);
                }
                stack[sp++] = next++;
            }
        }
        _m = next;
        _predTotal = predTotal;
    }

    /// <summary>
    /// Phase 2: the non-tree predecessors as a reverse CSR, by counting sort, rescanning only the objects the DFS
    /// flagged. The test is the DFS's own (parents are final), so the counts match.
    /// </summary>
    public void CollectPredecessors()
    {
        _cancel.ThrowIfCancellationRequested();
        ReadOnlySpan<int> edgeStart = _graph.EdgeStart.Span, targets = _graph.EdgeTargets.Span;
        int[] dfnum = _dfsNumber!, vertex = _vertex, parent = _parent!, predStart = _predStart!;
        ulong[] hasCross = Take(ref _hasCross);
        int m = _m;
        var preds = new int[_predTotal];
        PeakBytes += 4L * preds.Length;
        for (int i = 1; i <= m; i++)
            predStart[i] += predStart[i - 1]; // now the end of each list; filling walks it back to the start
        for (int word = 0; word < hasCross.Length; word++)
        {
            if ((word & (CancelCheck.Mask >> 6)) == 0)
                _cancel.ThrowIfCancellationRequested();
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
        IReadOnlyList<HeapRoot> roots = _graph.Roots;
        foreach (int r in _rootOrder)
        {
            int ds = dfnum[roots[r].Node];
            if (parent[ds] != 0)
                preds[--predStart[ds]] = 0;
        }
        _preds = preds;
    }

    /// <summary>
    /// Phase 3: semidominators, vertices in reverse DFS order, with a path-compressed forest. The DFS parent is a
    /// predecessor not yet linked into the forest, so it yields its own number: the starting minimum.
    /// </summary>
    public void ComputeSemidominators()
    {
        _cancel.ThrowIfCancellationRequested();
        int[] ancestor = _ancestor = Take(ref _dfsNumber);
        int[] semi = _semi = Take(ref _edgeCursor);
        _dfsStack = null;
        int[] label = _label = GC.AllocateUninitializedArray<int>(_n + 1); // every entry below _m is written below
        int[] parent = _parent!, predStart = Take(ref _predStart), preds = Take(ref _preds);
        int m = _m;
        for (int i = 0; i < m; i++)
        {
            ancestor[i] = -1;
            semi[i] = i;
            label[i] = i;
        }
        var compressStack = new int[64];
        for (int w = m - 1; w > 0; w--)
        {
            if ((w & CancelCheck.Mask) == 0)
                _cancel.ThrowIfCancellationRequested();
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

    /// <summary>
    /// Phase 4: immediate dominators, each the nearest common ancestor of the DFS parent and the semidominator,
    /// written in place over the parents (a vertex's parent is read before its dominator is written, and the walk
    /// reads only dominators of smaller DFS numbers, already final).
    /// </summary>
    public void ComputeImmediateDominators()
    {
        _cancel.ThrowIfCancellationRequested();
        int[] idomDfs = _idomDfs = Take(ref _parent);
        int[] semi = Take(ref _semi);
        int m = _m;
        for (int w = 1; w < m; w++)
        {
            if ((w & CancelCheck.Mask) == 0)
                _cancel.ThrowIfCancellationRequested();
            int x = idomDfs[w];
            int sw = semi[w];
            while (x > sw)
                x = idomDfs[x];
            idomDfs[w] = x;
        }
        _subtreeCount = semi;
    }

    /// <summary>
    /// Phase 5: the node-space dominators, retained bytes and subtree counts. Dominators have smaller DFS numbers
    /// than what they dominate, so one backward sweep accumulates every subtree. Counts add up in DFS-number space
    /// (sequential); bytes in the node-space result.
    /// </summary>
    public void AccumulateRetained()
    {
        _cancel.ThrowIfCancellationRequested();
        int[] idom = _idom = Take(ref _ancestor);
        int[] vertex = _vertex, idomDfs = _idomDfs!, subtreeCount = _subtreeCount!;
        int m = _m, n = _n;
        HeapGraph graph = _graph;
        Array.Fill(idom, DominatorTree.UnreachableIndex);
        for (int d = 1; d < m; d++)
        {
            idom[vertex[d]] = idomDfs[d] == 0 ? DominatorTree.VirtualRootIndex : vertex[idomDfs[d]];
            subtreeCount[d] = 1; // each vertex counts itself
        }

        // The predecessor lists (one int per object and more) died with phase 3; collecting them now lets the two
        // result arrays still to come take their memory, or the system gets it back, instead of the process growing at
        // its peak (a plain collection keeps the freed memory committed). Small graphs skip it: little to gain, and a
        // host's own heap (a test process using LeakAssert) would pay for the compaction.
        if (n >= GiveBackNodes)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var retained = _retained = new long[n];
        PeakBytes = Math.Max(PeakBytes, 5L * 4 * (n + 1) + 8L * n);
        for (int d = m - 1; d > 0; d--)
        {
            if ((d & CancelCheck.Mask) == 0)
                _cancel.ThrowIfCancellationRequested();
            int v = vertex[d];
            long r = retained[v] + graph.SizeAt(v);
            retained[v] = r;
            int p = idomDfs[d];
            if (p != 0)
            {
                retained[vertex[p]] += r;
                subtreeCount[p] += subtreeCount[d];
            }
        }
    }

    /// <summary>
    /// Phase 6: the dominator-tree preorder without child lists: each vertex takes the next free slot of its
    /// dominator's interval, whose length is the dominator's subtree count. A vertex's slot cursor replaces its
    /// count once read (dominators come first in DFS order, so no count is lost). Unreachable objects count 0.
    /// </summary>
    public void BuildPreorder()
    {
        _cancel.ThrowIfCancellationRequested();
        int[] slot = _slot = Take(ref _subtreeCount);
        int[] preorder = _preorder = Take(ref _label);
        // Allocated only now, not with the retained bytes: the phase before holds one array less at its peak.
        int[] count = _count = GC.AllocateUninitializedArray<int>(_n); // every entry is written below
        PeakBytes = Math.Max(PeakBytes, 5L * 4 * (_n + 1) + 12L * _n);
        int[] vertex = _vertex, idomDfs = _idomDfs!, idom = _idom!;
        int m = _m, n = _n;
        slot[0] = 0;
        for (int d = 1; d < m; d++)
        {
            if ((d & CancelCheck.Mask) == 0)
                _cancel.ThrowIfCancellationRequested();
            int v = vertex[d];
            int c = slot[d]; // still d's subtree count: it becomes d's cursor only below
            count[v] = c;
            int p = idomDfs[d];
            int pos = slot[p];
            preorder[pos] = v;
            slot[p] = pos + c;
            slot[d] = pos + 1;
        }
        HeapGraph graph = _graph;
        long unreachableBytes = 0;
        for (int v = 0; v < n; v++)
        {
            if (idom[v] == DominatorTree.UnreachableIndex)
            {
                count[v] = 0;
                unreachableBytes += graph.SizeAt(v);
            }
        }
        UnreachableBytes = unreachableBytes;
    }

    /// <summary>Bytes of the objects no root reaches; set by <see cref="BuildPreorder"/>.</summary>
    public long UnreachableBytes { get; private set; }

    /// <summary>Objects some root reaches.</summary>
    public int ReachableCount => _m - 1;

    /// <summary>The results, after the last phase: node-space dominators, retained bytes and counts, and the preorder.</summary>
    public (int[] Idom, long[] Retained, int[] Count, int[] Preorder) Results() =>
        (_idom!, _retained!, _count!, _preorder!);

    /// <summary>Hands an array's storage to its next role and forgets the old name.</summary>
    private static T[] Take<T>(ref T[]? array)
    {
        T[] taken = array ?? throw new InvalidOperationException("A dominator phase ran out of order.");
        array = null;
        return taken;
    }
}
