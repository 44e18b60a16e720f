namespace LeakLab.Core.Graph.Index;

/// <summary>
/// The payloads of the graph, paths, shapes and dominator sections: every array a <see cref="HeapGraph"/>,
/// <see cref="ShortestPaths"/>, <see cref="PathShapes"/> or <see cref="DominatorTree"/> holds, stored raw in an array
/// section of its own (written first, its offset recorded in the owning section) so reopening maps it instead of
/// reading it.
/// </summary>
internal static class GraphCodec
{
    /// <returns>The offset of the graph section.</returns>
    public static long WriteGraph(IndexWriter w, HeapGraph g)
    {
        long[] arrays =
        [
            w.ArraySection(g.Addresses.Span), w.ArraySection(g.NodeTypes.Span), w.ArraySection(g.NodeSizes.Span),
            w.ArraySection(g.NodeGenerations.Span), w.ArraySection(g.EdgeStart.Span), w.ArraySection(g.EdgeTargets.Span),
            w.ArraySection(g.EdgeFields.Span),
        ];
        long offset = w.BeginSection(IndexSection.Graph);
        SnapshotInfo info = g.Info;
        w.String(info.SourceKind);
        w.Int64(info.ProcessId ?? -1);
        w.String(info.ProcessName);
        w.Int64(info.CapturedAt is { } at ? at.UtcTicks : -1);
        w.String(info.RuntimeVersion);
        w.Int32(info.HasFieldNames ? 1 : 0);
        // The whole load report travels with the graph: a damaged dump reopened from its index must still say so.
        w.Int32(info.Load is null ? 0 : 1);
        if (info.Load is { } load)
        {
            w.String(load.Source);
            w.Int64(load.Objects);
            w.Int64(load.Bytes);
            w.Int32(load.RootsUnresolved ?? -1);
            w.Int32(load.RootSourcesUnread);
            w.Int64(load.EventsLost);
            w.Int64(load.ReferencesDropped);
            w.Int32(load.Damage is null ? 0 : 1);
            if (load.Damage is { } d)
            {
                w.Int32(d.BadObjects);
                w.Int64(d.BytesSkipped);
                w.Int32(d.SegmentsCutShort);
                w.Int64(d.HeapBytes);
                w.Int64(d.DanglingReferences);
            }
        }

        foreach (long array in arrays)
            w.Int64(array);
        w.Int32(g.HugeSizes?.Count ?? -1);
        foreach ((int node, long size) in g.HugeSizes ?? [])
        {
            w.Int32(node);
            w.Int64(size);
        }
        w.Int32(g.TypeCount);
        for (int t = 0; t < g.TypeCount; t++)
            w.String(g.TypeName(t));
        // HeapGraph keeps its field-name table private; every id a reference carries is all a reader can ask for.
        int fieldCount = 0;
        foreach (int f in g.EdgeFields.Span)
            fieldCount = Math.Max(fieldCount, f + 1);
        w.Int32(fieldCount);
        for (int f = 0; f < fieldCount; f++)
            w.String(g.FieldName(f));
        w.Int32(g.Roots.Count);
        foreach (HeapRoot root in g.Roots)
        {
            w.Int32((int)root.Kind);
            w.String(root.Name);
            w.Int32(root.Node);
        }
        w.EndSection();
        return offset;
    }

    /// <param name="path">The dump's path now (the index may have moved with it).</param>
    public static HeapGraph ReadGraph(IndexReader r, string path)
    {
        SnapshotInfo info = ReadInfo(r, path);
        Column<ulong> addresses = r.Column<ulong>();
        Column<int> nodeTypes = r.Column<int>();
        Column<uint> nodeSizes = r.Column<uint>();
        Column<Generation> generations = r.Column<Generation>();
        Column<int> edgeStart = r.Column<int>();
        Column<int> edgeTargets = r.Column<int>();
        Column<int> edgeFields = r.Column<int>();
        int n = addresses.Length;
        // Lengths only: reading edgeStart's ends would check (and so read) its whole section now.
        if (nodeTypes.Length != n || nodeSizes.Length != n || generations.Length != n || edgeStart.Length != n + 1
            || edgeFields.Length != edgeTargets.Length)
            throw new IndexCorruptException("the graph's arrays disagree in length");
        int hugeCount = r.Int32();
        Dictionary<int, long>? huge = hugeCount < 0 ? null : new Dictionary<int, long>(Count(hugeCount, n));
        for (int i = 0; i < hugeCount; i++)
            huge![r.Int32()] = r.Int64();
        var typeNames = new string[Count(r.Int32(), n + 1_000_000)];
        for (int t = 0; t < typeNames.Length; t++)
            typeNames[t] = r.String() ?? "";
        var fieldNames = new string[Count(r.Int32(), int.MaxValue)];
        for (int f = 0; f < fieldNames.Length; f++)
            fieldNames[f] = r.String() ?? "";
        var roots = new HeapRoot[Count(r.Int32(), int.MaxValue)];
        for (int i = 0; i < roots.Length; i++)
            roots[i] = new HeapRoot((RootKind)r.Int32(), r.String() ?? "", (NodeId)r.Int32());
        return new HeapGraph(info, addresses, nodeTypes, nodeSizes, huge, generations, edgeStart, edgeTargets, edgeFields,
            typeNames, fieldNames, roots);
    }

    /// <summary>The <see cref="SnapshotInfo"/> at the start of the graph section.</summary>
    public static SnapshotInfo ReadInfo(IndexReader r, string path)
    {
        string sourceKind = r.String() ?? throw new IndexCorruptException("no source kind");
        long pid = r.Int64();
        string? processName = r.String();
        long capturedTicks = r.Int64();
        string? runtimeVersion = r.String();
        bool hasFieldNames = r.Int32() == 1;
        LoadReport? load = null;
        if (r.Int32() == 1)
        {
            string source = r.String() ?? throw new IndexCorruptException("no load source");
            long objects = r.Int64(), bytes = r.Int64();
            int rootsUnresolved = r.Int32(), rootSourcesUnread = r.Int32();
            long eventsLost = r.Int64(), referencesDropped = r.Int64();
            HeapDamage? damage = r.Int32() == 1 ? new HeapDamage(r.Int32(), r.Int64(), r.Int32(), r.Int64(), r.Int64()) : null;
            load = new LoadReport
            {
                Source = source, Objects = objects, Bytes = bytes, RootsUnresolved = rootsUnresolved < 0 ? null : rootsUnresolved,
                RootSourcesUnread = rootSourcesUnread, EventsLost = eventsLost, ReferencesDropped = referencesDropped, Damage = damage,
            };
        }
        return new SnapshotInfo
        {
            SourceKind = sourceKind,
            Path = path,
            ProcessId = pid >= 0 ? (int)pid : null,
            ProcessName = processName,
            CapturedAt = capturedTicks >= 0 ? new DateTimeOffset(capturedTicks, TimeSpan.Zero) : null,
            RuntimeVersion = runtimeVersion,
            HasFieldNames = hasFieldNames,
            Load = load,
        };
    }

    public static long WritePaths(IndexWriter w, ShortestPaths p) => WritePaths(w, p, IndexSection.Paths);

    public static long WriteShortLivedPaths(IndexWriter w, ShortestPaths p) => WritePaths(w, p, IndexSection.ShortLivedPaths);

    private static long WritePaths(IndexWriter w, ShortestPaths p, IndexSection kind)
    {
        long parent = w.ArraySection(p.Parent.Span), rootIndex = w.ArraySection(p.RootIndex.Span);
        long order = w.ArraySection(p.Order.Span[..p.ReachableCount]);
        long offset = w.BeginSection(kind);
        w.Int64(parent);
        w.Int64(rootIndex);
        w.Int64(order);
        w.EndSection();
        return offset;
    }

    public static ShortestPaths ReadPaths(IndexReader r, HeapGraph g)
    {
        Column<int> parent = r.Column<int>();
        Column<int> rootIndex = r.Column<int>();
        int n = g.NodeCount;
        if (parent.Length != n || rootIndex.Length != n)
            throw new IndexCorruptException("the retention paths do not fit the graph");
        Column<int> order = r.Column<int>(); // only the first ReachableCount entries are ever read
        if (order.Length > n)
            throw new IndexCorruptException("the retention paths do not fit the graph");
        return new ShortestPaths(g, parent, rootIndex, order, order.Length);
    }

    /// <param name="kind"><see cref="IndexSection.Shapes"/> or <see cref="IndexSection.ShortLivedShapes"/>.</param>
    public static long WriteShapes(IndexWriter w, PathShapes s, IndexSection kind)
    {
        long[] arrays =
        [
            w.ArraySection(s.ShapeOf.Span), w.ArraySection(s.ParentShape.Span), w.ArraySection(s.Type.Span), w.ArraySection(s.Field.Span),
            w.ArraySection(s.RootKey.Span), w.ArraySection(s.MaxRun.Span), w.ArraySection(s.Objects.Span), w.ArraySection(s.Example.Span),
        ];
        long offset = w.BeginSection(kind);
        foreach (long array in arrays)
            w.Int64(array);
        w.Int32(s.RootKeys.Count);
        foreach ((RootKind rootKind, string name) in s.RootKeys)
        {
            w.Int32((int)rootKind);
            w.String(name);
        }
        w.EndSection();
        return offset;
    }

    public static PathShapes ReadShapes(IndexReader r, HeapGraph g)
    {
        Column<int> shapeOf = r.Column<int>();
        Column<int> parentShape = r.Column<int>(), type = r.Column<int>(), field = r.Column<int>(), rootKey = r.Column<int>();
        Column<int> maxRun = r.Column<int>(), objects = r.Column<int>(), example = r.Column<int>();
        int count = type.Length;
        if (shapeOf.Length != g.NodeCount || parentShape.Length != count || field.Length != count || rootKey.Length != count
            || maxRun.Length != count || objects.Length != count || example.Length != count)
            throw new IndexCorruptException("the path shapes do not fit the graph");
        var rootKeys = new (RootKind, string)[Count(r.Int32(), count)];
        for (int i = 0; i < rootKeys.Length; i++)
            rootKeys[i] = ((RootKind)r.Int32(), r.String() ?? "");
        return new PathShapes(shapeOf, parentShape, type, field, rootKey, maxRun, objects, example, rootKeys);
    }

    public static long WriteDominators(IndexWriter w, DominatorTree d)
    {
        long idom = w.ArraySection(d._idom.Span), retained = w.ArraySection(d._retained.Span);
        long count = w.ArraySection(d._count.Span), preorder = w.ArraySection(d._preorder.Span);
        long offset = w.BeginSection(IndexSection.Dominators);
        w.Int64(idom);
        w.Int64(retained);
        w.Int64(count);
        w.Int64(preorder);
        w.Int32(d._reachable);
        w.Int64(d.UnreachableCount);
        w.Int64(d.UnreachableBytes);
        w.Int64(d.PeakBytes);
        w.EndSection();
        return offset;
    }

    public static DominatorTree ReadDominators(IndexReader r, HeapGraph g)
    {
        Column<int> idom = r.Column<int>();
        Column<long> retained = r.Column<long>();
        Column<int> count = r.Column<int>();
        Column<int> preorder = r.Column<int>();
        int reachable = r.Int32();
        int n = g.NodeCount;
        if (idom.Length != n + 1 || retained.Length != n || count.Length != n || preorder.Length != n + 1 || (uint)reachable > (uint)n)
            throw new IndexCorruptException("the dominator tree does not fit the graph");
        return new DominatorTree(g, idom, retained, count, preorder, reachable, r.Int64(), r.Int64(), r.Int64());
    }

    private static int Count(int count, int max) =>
        count >= 0 && count <= max ? count : throw new IndexCorruptException("a count is out of range");
}
