namespace LeakLab.Core.Analysis;

/// <summary>
/// The shortest-path shape of every reachable object, interned: a shape is a root key plus a chain of
/// (type, field) steps in which a run of identical steps counts once.
/// </summary>
/// <remarks>
/// Computed in one pass over the BFS tree, parents first: shape(child) = intern(shape(parent), type, field),
/// except that a child whose (type, field) equals its parent shape's last step reuses the parent's shape.
/// That is what makes <c>TimerQueueTimer._next</c> ×1480 and ×3 the same shape: runtime linked lists (timer queues,
/// cancellation callbacks) put runs of any length on real paths, and a reader wants them as one shape.
/// A shape's last step is its objects' own type, so every object of a shape has the shape's <see cref="Type"/>: the
/// per-shape tallies (<see cref="Objects"/>, <see cref="Example"/>) answer "paths to every instance of type T" from
/// the shapes alone, without visiting the heap's objects (what makes a reopened <c>paths --type</c> instant).
/// </remarks>
internal sealed class PathShapes
{
    /// <summary>The field of a path's first step (the root's object): no reference leads into it.</summary>
    internal const int FirstStep = int.MinValue;

    internal readonly Column<int> ShapeOf;     // per node; -1 when unreachable
    internal readonly Column<int> ParentShape; // per shape; -1 on a first step
    internal readonly Column<int> Type;
    internal readonly Column<int> Field;
    internal readonly Column<int> RootKey;     // index into RootKeys
    internal readonly Column<int> MaxRun;      // longest run of the shape's last step seen on any object
    internal readonly Column<int> Objects;     // per shape: its tallied objects (see Compute's lastingOwner)
    internal readonly Column<int> Example;     // per shape: the first tallied object in node order; -1 when none
    internal readonly IReadOnlyList<(RootKind Kind, string Name)> RootKeys;

    internal PathShapes(Column<int> shapeOf, Column<int> parentShape, Column<int> type, Column<int> field, Column<int> rootKey,
        Column<int> maxRun, Column<int> objects, Column<int> example, IReadOnlyList<(RootKind Kind, string Name)> rootKeys)
    {
        ShapeOf = shapeOf;
        ParentShape = parentShape;
        Type = type;
        Field = field;
        RootKey = rootKey;
        MaxRun = maxRun;
        Objects = objects;
        Example = example;
        RootKeys = rootKeys;
    }

    internal int Count => Type.Length;

    /// <param name="paths">The forest whose paths are shaped.</param>
    /// <param name="lastingOwner">
    /// Null: the tallies count every reachable object. Else the tallies count only the objects this (other) forest of
    /// the same graph attributes to a lasting root: what the further paths of a short-lived forest are shown for.
    /// </param>
    /// <param name="cancellationToken">Checked every 65,536 objects.</param>
    internal static PathShapes Compute(ShortestPaths paths, ShortestPaths? lastingOwner, CancellationToken cancellationToken)
    {
        HeapGraph graph = paths.Graph;
        int n = graph.NodeCount;
        var shapeOf = new int[n];
        Array.Fill(shapeOf, -1);
        var builder = new Builder();
        var run = new int[n]; // temporary: run length of the node's last step
        var rootKeyIds = new Dictionary<(RootKind, string), int>();

        ReadOnlySpan<int> parent = paths.Parent.Span;
        ReadOnlySpan<int> order = paths.Order.Span[..paths.ReachableCount];
        ReadOnlySpan<int> types = graph.NodeTypes.Span;
        ReadOnlySpan<int> edgeStart = graph.EdgeStart.Span;
        ReadOnlySpan<int> targets = graph.EdgeTargets.Span;
        ReadOnlySpan<int> fields = graph.EdgeFields.Span;

        for (int i = 0; i < order.Length; i++)
        {
            if ((i & CancelCheck.Mask) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int v = order[i];
            if (parent[v] == ShortestPaths.NoParent)
            {
                HeapRoot root = graph.Roots[paths.RootIndex[v]];
                var group = (root.Kind, RootGroups.NameOf(graph, root));
                if (!rootKeyIds.TryGetValue(group, out int rk))
                {
                    rk = builder.RootKeys.Count;
                    builder.RootKeys.Add(group);
                    rootKeyIds.Add(group, rk);
                }
                shapeOf[v] = builder.Intern(~rk, types[v], FirstStep, rk);
                run[v] = 1;
                builder.NoteRun(shapeOf[v], 1);
            }

            int ps = shapeOf[v];
            int lastType = builder.Type[ps], lastField = builder.Field[ps], rootKey = builder.RootKey[ps];
            // Siblings mostly share (type, field) (array elements), so remember the last lookup.
            int cachedType = int.MinValue, cachedField = int.MinValue, cachedShape = -1;
            for (int e = edgeStart[v], end = edgeStart[v + 1]; e < end; e++)
            {
                int t = targets[e];
                // The first reference from v to a BFS child is its tree edge; later ones are skipped by the shape check.
                if (parent[t] != v || shapeOf[t] != -1)
                    continue;
                int type = types[t], field = fields[e];
                if (type == lastType && field == lastField)
                {
                    shapeOf[t] = ps;
                    run[t] = run[v] + 1;
                }
                else
                {
                    if (type != cachedType || field != cachedField)
                    {
                        cachedShape = builder.Intern(ps, type, field, rootKey);
                        cachedType = type;
                        cachedField = field;
                    }
                    shapeOf[t] = cachedShape;
                    run[t] = 1;
                }
                builder.NoteRun(shapeOf[t], run[t]);
            }
        }
        return builder.Build(shapeOf, Tally(shapeOf, builder.Type.Count, lastingOwner, cancellationToken));
    }

    /// <summary>Per shape, the objects <see cref="Compute"/>'s tallies count and the first of them in node order.</summary>
    private static (int[] Objects, int[] Example) Tally(int[] shapeOf, int shapes, ShortestPaths? lastingOwner, CancellationToken cancellationToken)
    {
        var objects = new int[shapes];
        var example = new int[shapes];
        Array.Fill(example, -1);
        bool[]? lastingRoot = null;
        ReadOnlySpan<int> ownerParent = default, ownerRoot = default;
        if (lastingOwner is not null)
        {
            IReadOnlyList<HeapRoot> roots = lastingOwner.Graph.Roots;
            lastingRoot = new bool[roots.Count];
            for (int r = 0; r < roots.Count; r++)
                lastingRoot[r] = RootPriority.Tier(roots[r].Kind) == RootPriority.LastingTier;
            ownerParent = lastingOwner.Parent.Span;
            ownerRoot = lastingOwner.RootIndex.Span;
        }
        for (int v = 0; v < shapeOf.Length; v++)
        {
            if ((v & CancelCheck.Mask) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int s = shapeOf[v];
            if (s < 0 || (lastingRoot is not null && (ownerParent[v] == ShortestPaths.Unvisited || !lastingRoot[ownerRoot[v]])))
                continue;
            if (objects[s]++ == 0)
                example[s] = v; // node order: the first one seen is the first
        }
        return (objects, example);
    }

    /// <summary>The shapes as they are interned, in growable lists; frozen into columns once complete.</summary>
    private sealed class Builder
    {
        private readonly Dictionary<(int Parent, int Type, int Field), int> _ids = new();
        private readonly List<int> _parentShape = [];
        private readonly List<int> _maxRun = [];
        public readonly List<int> Type = [];
        public readonly List<int> Field = [];
        public readonly List<int> RootKey = [];
        public readonly List<(RootKind Kind, string Name)> RootKeys = [];

        public int Intern(int parentKey, int type, int field, int rootKey)
        {
            if (_ids.TryGetValue((parentKey, type, field), out int id))
                return id;
            id = Type.Count;
            _parentShape.Add(parentKey < 0 ? -1 : parentKey);
            Type.Add(type);
            Field.Add(field);
            RootKey.Add(rootKey);
            _maxRun.Add(0);
            _ids.Add((parentKey, type, field), id);
            return id;
        }

        public void NoteRun(int shape, int length)
        {
            if (length > _maxRun[shape])
                _maxRun[shape] = length;
        }

        public PathShapes Build(int[] shapeOf, (int[] Objects, int[] Example) tally) =>
            new(shapeOf, _parentShape.ToArray(), Type.ToArray(), Field.ToArray(), RootKey.ToArray(), _maxRun.ToArray(),
                tally.Objects, tally.Example, RootKeys);
    }
}
