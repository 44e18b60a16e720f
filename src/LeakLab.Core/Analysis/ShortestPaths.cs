namespace LeakLab.Core.Analysis;

/// <summary>
/// The retention-path forest of a heap, computed once; every retention-path query reads it. Each reachable object
/// gets one root and one path by the rule of <see cref="RootPriority"/>: the lasting root wins, then the shortest path.
/// </summary>
/// <remarks>
/// One breadth-first search per tier of roots: first from every lasting root (static fields, thread statics, handles;
/// seeded in rank order so that within a BFS level the best-named root wins), then from stack frames into what the
/// lasting roots did not reach, then from the finalizer queue and the rest. Costs 12 bytes per object
/// (parent, root, BFS order) plus 4 more once path shapes are asked for; a second forest from the short-lived roots
/// alone is computed only when a query asks for further shapes.
/// </remarks>
public sealed class ShortestPaths
{
    internal const int Unvisited = -2;
    internal const int NoParent = -1;

    internal readonly Column<int> Parent;     // BFS-tree parent, NoParent for a root's object, Unvisited when unreachable
    internal readonly Column<int> RootIndex;  // index into Graph.Roots of the root whose BFS reached the node
    internal readonly Column<int> Order;      // reachable nodes in BFS order (parents before children), ReachableCount long
    internal readonly int ReachableCount;
    private PathShapes? _shapes;
    private ShortestPaths? _shortLived;
    private ShortestPaths? _lastingOwner; // of a short-lived forest: the forest whose lasting-owned objects its shapes tally

    internal ShortestPaths(HeapGraph graph, Column<int> parent, Column<int> rootIndex, Column<int> order, int reachable)
    {
        Graph = graph;
        Parent = parent;
        RootIndex = rootIndex;
        Order = order;
        ReachableCount = reachable;
    }

    /// <summary>The retention-path forest: O(N + E) time, 12 bytes per object.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked every 65,536 objects).</exception>
    public static ShortestPaths Compute(HeapGraph graph, CancellationToken cancellationToken = default) =>
        Compute(graph, shortLivedOnly: false, cancellationToken);

    /// <param name="shortLivedOnly">Seed only stack frames and later tiers: the forest that shows which objects a
    /// short-lived root also reaches, whatever lasting root owns them.</param>
    private static ShortestPaths Compute(HeapGraph graph, bool shortLivedOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int n = graph.NodeCount;
        var parent = new int[n];
        var rootIndex = new int[n];
        var order = new int[n];
        Array.Fill(parent, Unvisited);

        ReadOnlySpan<int> edgeStart = graph.EdgeStart.Span;
        ReadOnlySpan<int> targets = graph.EdgeTargets.Span;
        var roots = graph.Roots;
        int[] ordered = RootPriority.Ordered(graph);
        int tail = 0, head = 0, next = 0;
        while (next < ordered.Length)
        {
            // Seed one tier, then search until it has claimed everything it reaches.
            int tier = RootPriority.Tier(roots[ordered[next]].Kind);
            for (; next < ordered.Length && RootPriority.Tier(roots[ordered[next]].Kind) == tier; next++)
            {
                int r = ordered[next];
                int v = roots[r].Node;
                if (parent[v] != Unvisited || (shortLivedOnly && tier == RootPriority.LastingTier))
                    continue;
                parent[v] = NoParent;
                rootIndex[v] = r;
                order[tail++] = v;
            }
            for (; head < tail; head++)
            {
                if ((head & CancelCheck.Mask) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                int v = order[head];
                int r = rootIndex[v];
                for (int e = edgeStart[v], end = edgeStart[v + 1]; e < end; e++)
                {
                    int t = targets[e];
                    if (parent[t] != Unvisited)
                        continue;
                    parent[t] = v;
                    rootIndex[t] = r;
                    order[tail++] = t;
                }
            }
        }
        return new ShortestPaths(graph, parent, rootIndex, order, tail);
    }

    public HeapGraph Graph { get; }

    /// <summary>Objects some root reaches.</summary>
    public int ReachableObjectCount => ReachableCount;

    /// <summary>True if some root reaches the node.</summary>
    /// <exception cref="IdOutOfRangeException">The node is not in this graph (so for every query below).</exception>
    public bool IsReachable(NodeId node) => Parent[CheckNode(node)] != Unvisited;

    /// <summary>The root the node is attributed to (see <see cref="RootPriority"/>), or null when unreachable.</summary>
    public HeapRoot? RootOf(NodeId node) => IsReachable(node) ? Graph.Roots[RootIndex[node]] : null;

    /// <summary>Nodes from the root's object to <paramref name="node"/>, inclusive; empty when unreachable.</summary>
    public IReadOnlyList<NodeId> PathTo(NodeId node)
    {
        if (!IsReachable(node))
            return [];
        var path = new List<NodeId>();
        for (int v = node; v != NoParent; v = Parent[v])
            path.Add(new(v));
        path.Reverse();
        return path;
    }

    /// <summary>Retention paths to the given nodes, grouped by shape, most common first.</summary>
    /// <remarks>
    /// A shape is the root plus the (type, field) steps, with a run of identical steps (a linked list such as
    /// <c>TimerQueueTimer._next</c>) counted as one step whatever its length. Each group reports the steps of
    /// its example object, with the run lengths of that example. Each object has one attributed path (the rule of
    /// <see cref="RootPriority"/>), so the counts add up to the reachable targets; <see cref="FurtherPaths"/> gives
    /// the shorter paths from stack frames that this leaves out.
    /// </remarks>
    public IReadOnlyList<RetentionPath> GroupedPaths(IEnumerable<NodeId> targets, int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return limit <= 0 ? [] : Group(targets, limit, further: false, cancellationToken);
    }

    /// <summary>
    /// Further shapes, marked <see cref="RetentionPath.IsFurther"/>: the paths by which a stack frame (or a later tier)
    /// also reaches targets that a lasting root owns, each counting the targets it also reaches. Empty when no lasting
    /// root owns any of them. Shown after the attributed shapes, never added to them.
    /// </summary>
    public IReadOnlyList<RetentionPath> FurtherPaths(IEnumerable<NodeId> targets, int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (limit <= 0)
            return [];
        var owned = targets.Where(v => IsReachable(v) && RootPriority.Tier(Graph.Roots[RootIndex[v]].Kind) == RootPriority.LastingTier).ToList();
        return owned.Count == 0 ? [] : GetShortLived(cancellationToken).Group(owned, limit, further: true, cancellationToken);
    }

    /// <summary><see cref="FurtherPaths"/> for every instance of the types matching the pattern.</summary>
    public IReadOnlyList<RetentionPath> FurtherPathsToType(string typePattern, int limit = 10, CancellationToken cancellationToken = default) =>
        FurtherPathsToType(new TypePattern(typePattern).Select(Graph), limit, cancellationToken);

    /// <summary><see cref="FurtherPaths"/> for every instance of the selected types.</summary>
    public IReadOnlyList<RetentionPath> FurtherPathsToType(TypeSelection types, int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(types);
        types.CheckGraph(Graph);
        if (limit <= 0)
            return [];
        // Some instance a lasting root owns? Every object of a shape has the shape's root, so the tallies tell.
        PathShapes shapes = GetShapes(cancellationToken);
        ReadOnlySpan<int> objects = shapes.Objects.Span, shapeTypes = shapes.Type.Span, rootKeys = shapes.RootKey.Span;
        bool owned = false;
        for (int s = 0; s < objects.Length && !owned; s++)
        {
            owned = objects[s] > 0 && types.Contains(new TypeId(shapeTypes[s]))
                && RootPriority.Tier(shapes.RootKeys[rootKeys[s]].Kind) == RootPriority.LastingTier;
        }
        // The short-lived forest's shapes tally exactly the objects a lasting root owns here: FurtherPaths' targets.
        return owned ? GetShortLived(cancellationToken).GroupByType(types, limit, further: true, cancellationToken) : [];
    }

    private List<RetentionPath> Group(IEnumerable<NodeId> targets, int limit, bool further, CancellationToken cancellationToken)
    {
        PathShapes shapes = GetShapes(cancellationToken);
        // Per-shape arrays rather than a dictionary: "all instances of a type" can be millions of targets.
        var counts = new int[shapes.Count];
        var examples = new int[shapes.Count];
        int groups = 0;
        foreach (NodeId target in targets)
        {
            int node = IdOutOfRangeException.Check(target, Graph.NodeCount, nameof(targets));
            int shape = shapes.ShapeOf[node];
            if (shape < 0)
                continue;
            if (counts[shape]++ == 0)
            {
                examples[shape] = node;
                groups++;
            }
        }

        var found = new int[groups];
        for (int s = 0, i = 0; s < counts.Length; s++)
        {
            if (counts[s] > 0)
                found[i++] = s;
        }
        return Describe(found, counts, examples, limit, further);
    }

    /// <summary>
    /// <see cref="Group"/> for every instance of the selected types, from the per-shape tallies alone: the same answer
    /// (every object of a shape has the shape's type, and its example is the first in node order) in O(shapes).
    /// </summary>
    private List<RetentionPath> GroupByType(TypeSelection types, int limit, bool further, CancellationToken cancellationToken)
    {
        PathShapes shapes = GetShapes(cancellationToken);
        ReadOnlySpan<int> objects = shapes.Objects.Span, shapeTypes = shapes.Type.Span;
        var found = new List<int>();
        for (int s = 0; s < objects.Length; s++)
        {
            if (objects[s] > 0 && types.Contains(new TypeId(shapeTypes[s])))
                found.Add(s);
        }
        return Describe([.. found], shapes.Objects, shapes.Example, limit, further);
    }

    /// <summary>The <paramref name="limit"/> most common of the <paramref name="found"/> shapes, each described by its example.</summary>
    private List<RetentionPath> Describe(int[] found, Column<int> counts, Column<int> examples, int limit, bool further)
    {
        // Most common first; shape ids follow BFS order, so ties go to shorter, better-ranked paths.
        Array.Sort(found, (a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b));
        return [.. found.Take(limit).Select(s => Describe(examples[s], counts[s], grouped: true) with { IsFurther = further })];
    }

    /// <summary>The forest from short-lived roots alone (stack frames, then the finalizer queue): from the graph's index, else computed on first use.</summary>
    private ShortestPaths GetShortLived(CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref _shortLived, () =>
        {
            ShortestPaths shortLived = GraphIndex.ShortLived(this, () => Compute(Graph, shortLivedOnly: true, cancellationToken));
            shortLived._lastingOwner = this;
            return shortLived;
        });

    /// <summary>Grouped paths to every instance of the types a <see cref="TypePattern"/> selects (exact name first, then short name, else part of a name).</summary>
    /// <exception cref="LeakLabException">The pattern is empty.</exception>
    public IReadOnlyList<RetentionPath> PathsToType(string typePattern, int limit = 10, CancellationToken cancellationToken = default) =>
        PathsToType(new TypePattern(typePattern).Select(Graph), limit, cancellationToken);

    /// <summary>Grouped paths to every instance of the selected types.</summary>
    public IReadOnlyList<RetentionPath> PathsToType(TypeSelection types, int limit = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(types);
        types.CheckGraph(Graph);
        return limit <= 0 ? [] : GroupByType(types, limit, further: false, cancellationToken);
    }

    /// <summary>The path to one object by address; empty when the address is not an object or is unreachable.</summary>
    public IReadOnlyList<RetentionPath> PathsToAddress(ulong address)
    {
        NodeId node = Graph.FindNode(address);
        return node == NodeId.None || !IsReachable(node) ? [] : [Describe(node, 1, grouped: false)];
    }

    /// <summary>The field id of the reference the BFS tree followed into <paramref name="node"/>.</summary>
    internal int ParentField(int node)
    {
        int p = Parent[node];
        ReadOnlySpan<int> targets = Graph.Children(p);
        // The BFS took the first reference from p to node, so the first match is the tree edge.
        for (int e = 0; e < targets.Length; e++)
        {
            if (targets[e] == node)
                return Graph.ChildFields(p)[e];
        }
        throw new InvalidOperationException($"Node {p} has no reference to node {node}; the shortest-path tree does not match its graph.");
    }

    /// <summary>Shape ids of every reachable object, from the graph's index or computed on first use (a cancelled computation is not kept).</summary>
    internal PathShapes GetShapes(CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref _shapes, () => GraphIndex.Shapes(this, _lastingOwner, cancellationToken));

    // A group of paths names its root group (handles by kind and held type); one object's path names its own root.
    private RetentionPath Describe(int example, int count, bool grouped)
    {
        var path = PathTo(new NodeId(example));
        var steps = new List<PathStep>();
        int lastType = -1, lastField = 0, run = 0;
        for (int i = 0; i < path.Count; i++)
        {
            int v = path[i];
            int type = Graph.NodeTypes[v];
            int field = i == 0 ? PathShapes.FirstStep : ParentField(v);
            if (i > 0 && type == lastType && field == lastField)
            {
                run++;
                continue;
            }
            if (i > 0)
                steps.Add(Step(lastType, lastField, run));
            lastType = type;
            lastField = field;
            run = 1;
        }
        steps.Add(Step(lastType, lastField, run));
        HeapRoot root = Graph.Roots[RootIndex[example]];
        string rootName = grouped ? RootGroups.NameOf(Graph, root) : root.Name;
        return new RetentionPath(root.Kind, rootName, steps, count, Graph.Addresses[example]);
    }

    private PathStep Step(int type, int field, int repeat) =>
        new(Graph.TypeName(new TypeId(type)), field == PathShapes.FirstStep ? null : Graph.FieldName(new FieldId(field)), repeat);

    private int CheckNode(NodeId node) => IdOutOfRangeException.Check(node, Graph.NodeCount);

    // Raw-index forms for Core's inspections, over indexes taken from the graph's own arrays.
    internal bool IsReachable(int node) => IsReachable(new NodeId(node));
    internal HeapRoot? RootOf(int node) => RootOf(new NodeId(node));
    internal IReadOnlyList<RetentionPath> GroupedPaths(IEnumerable<int> targets, int limit) =>
        GroupedPaths(targets.Select(t => new NodeId(t)), limit);
}
