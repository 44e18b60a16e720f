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
/// </remarks>
internal sealed class PathShapes
{
    /// <summary>The field of a path's first step (the root's object): no reference leads into it.</summary>
    internal const int FirstStep = int.MinValue;

    internal readonly int[] ShapeOf;              // per node; -1 when unreachable
    internal readonly List<int> ParentShape = []; // -1 on a first step
    internal readonly List<int> Type = [];
    internal readonly List<int> Field = [];
    internal readonly List<int> RootKey = [];
    internal readonly List<int> MaxRun = [];      // longest run of the shape's last step seen on any object
    internal readonly List<(RootKind Kind, string Name)> RootKeys = [];

    internal PathShapes(int[] shapeOf) => ShapeOf = shapeOf;

    internal int Count => Type.Count;

    internal static PathShapes Compute(ShortestPaths paths, CancellationToken cancellationToken)
    {
        HeapGraph graph = paths.Graph;
        int n = graph.NodeCount;
        var shapeOf = new int[n];
        Array.Fill(shapeOf, -1);
        var shapes = new PathShapes(shapeOf);
        var run = new int[n]; // temporary: run length of the node's last step
        var ids = new Dictionary<(int Parent, int Type, int Field), int>();
        var rootKeyIds = new Dictionary<(RootKind, string), int>();

        ReadOnlySpan<int> parent = paths.Parent.Span;
        ReadOnlySpan<int> order = paths.Order.Span;
        ReadOnlySpan<int> types = graph.NodeTypes.Span;
        ReadOnlySpan<int> edgeStart = graph.EdgeStart.Span;
        ReadOnlySpan<int> targets = graph.EdgeTargets.Span;
        ReadOnlySpan<int> fields = graph.EdgeFields.Span;

        for (int i = 0; i < paths.ReachableCount; i++)
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
                    rk = shapes.RootKeys.Count;
                    shapes.RootKeys.Add(group);
                    rootKeyIds.Add(group, rk);
                }
                shapeOf[v] = shapes.Intern(ids, ~rk, types[v], FirstStep, rk);
                run[v] = 1;
                shapes.NoteRun(shapeOf[v], 1);
            }

            int ps = shapeOf[v];
            int lastType = shapes.Type[ps], lastField = shapes.Field[ps], rootKey = shapes.RootKey[ps];
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
                        cachedShape = shapes.Intern(ids, ps, type, field, rootKey);
                        cachedType = type;
                        cachedField = field;
                    }
                    shapeOf[t] = cachedShape;
                    run[t] = 1;
                }
                shapes.NoteRun(shapeOf[t], run[t]);
            }
        }
        return shapes;
    }

    /// <summary>Shape ids from the first step to <paramref name="shape"/>.</summary>
    internal List<int> Chain(int shape)
    {
        var chain = new List<int>();
        for (int s = shape; s >= 0; s = ParentShape[s])
            chain.Add(s);
        chain.Reverse();
        return chain;
    }

    private int Intern(Dictionary<(int, int, int), int> ids, int parentKey, int type, int field, int rootKey)
    {
        if (ids.TryGetValue((parentKey, type, field), out int id))
            return id;
        id = Type.Count;
        ParentShape.Add(parentKey < 0 ? -1 : parentKey);
        Type.Add(type);
        Field.Add(field);
        RootKey.Add(rootKey);
        MaxRun.Add(0);
        ids.Add((parentKey, type, field), id);
        return id;
    }

    private void NoteRun(int shape, int length)
    {
        if (length > MaxRun[shape])
            MaxRun[shape] = length;
    }
}
