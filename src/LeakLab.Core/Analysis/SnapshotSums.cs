namespace LeakLab.Core.Analysis;

/// <summary>
/// One snapshot reduced to what <see cref="SnapshotComparison"/> compares: reachable objects, bytes and retained bytes
/// per type name, per root and per retention-path shape (named by root key and type.field steps). Small whatever the
/// heap's size, so snapshots can be reduced in any order, even two at a time, and merged afterwards in capture order.
/// </summary>
internal sealed record SnapshotSums(SnapshotInfo Info, IReadOnlyList<SnapshotSums.TypeRow> Types, IReadOnlyList<SnapshotSums.RootRow> Roots,
    IReadOnlyList<SnapshotSums.ShapeRow> Shapes)
{
    /// <summary>Objects, their bytes and the bytes they retain; for roots, Bytes is unused (0).</summary>
    internal readonly record struct Sums(long Count, long Bytes, long Retained);

    /// <summary>Per type id with reachable instances, in type-id order (two ids may share a name).</summary>
    internal readonly record struct TypeRow(string Name, Sums Sums);

    /// <summary>Per root, in root order (roots may share a name).</summary>
    internal readonly record struct RootRow(RootKind Kind, string Name, Sums Sums);

    /// <summary>
    /// Per local shape, parents first: Parent is the index of the parent row, or -1 on a first step (then RootKey
    /// names the root).
    /// </summary>
    internal readonly record struct ShapeRow(int Parent, (RootKind Kind, string Name) RootKey, string Type, string? Field, int MaxRun, Sums Sums);

    /// <summary>Reduces one snapshot; computes (or reads from its index) its dominators and shortest paths first.</summary>
    /// <param name="sideBySide">
    /// Compute the retention paths and their shapes on a second thread while this one computes the dominators: the
    /// two are independent, so the reduction takes the longer of them rather than their sum, for the memory of both
    /// at once. For a command that has the machine to itself (<c>diff</c>), not for one beside a live process.
    /// </param>
    /// <exception cref="OperationCanceledException">The token was cancelled; the analysis keeps what it finished.</exception>
    public static SnapshotSums Of(HeapAnalysis analysis, CancellationToken cancellationToken, bool sideBySide = false)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        HeapGraph graph = analysis.Graph;
        Task? shapes = sideBySide && Environment.ProcessorCount > 1
            ? Task.Run(() => analysis.GetPaths(cancellationToken).GetShapes(cancellationToken), cancellationToken)
            : null;
        DominatorTree dominators;
        try
        {
            dominators = analysis.GetDominators(cancellationToken);
        }
        finally
        {
            // Never leave the other thread running past this call; its own error (if any) surfaces below.
            try { shapes?.Wait(CancellationToken.None); } catch (AggregateException) { }
        }
        shapes?.GetAwaiter().GetResult();
        ShortestPaths paths = analysis.GetPaths(cancellationToken); // before the roots: per-root shares read it
        return new SnapshotSums(graph.Info, TypesOf(graph, dominators, cancellationToken), RootsOf(graph, dominators),
            ShapesOf(paths, dominators, cancellationToken));
    }

    private static TypeRow[] TypesOf(HeapGraph graph, DominatorTree dominators, CancellationToken cancellationToken)
    {
        // Only reachable objects count: uncollected garbage comes and goes between snapshots.
        RetainedTotals totals = dominators.GetTotals(cancellationToken);
        var rows = new List<TypeRow>();
        for (int t = 0; t < graph.TypeCount; t++)
        {
            if (totals.TypeCounts[t] > 0)
                rows.Add(new TypeRow(graph.TypeName(t), new Sums(totals.TypeCounts[t], totals.TypeBytes[t], totals.TypeRetained[t])));
        }
        return [.. rows];
    }

    private static RootRow[] RootsOf(HeapGraph graph, DominatorTree dominators)
    {
        var rows = new RootRow[graph.Roots.Count];
        for (int r = 0; r < rows.Length; r++)
        {
            HeapRoot root = graph.Roots[r];
            var (bytes, count) = dominators.RetainedByRoot(r); // each object counts for one root only
            rows[r] = new RootRow(root.Kind, RootGroups.NameOf(graph, root), new Sums(count, 0, bytes));
        }
        return rows;
    }

    private static ShapeRow[] ShapesOf(ShortestPaths paths, DominatorTree dominators, CancellationToken cancellationToken)
    {
        HeapGraph graph = paths.Graph;
        PathShapes local = paths.GetShapes(cancellationToken);
        var counts = new long[local.Count];
        var bytes = new long[local.Count];
        for (int i = 0; i < paths.ReachableCount; i++)
        {
            int v = paths.Order[i];
            int shape = local.ShapeOf[v];
            counts[shape]++;
            bytes[shape] += graph.Size(v);
        }
        long[] retained = dominators.RetainedOfKeys(local.ShapeOf, local.Count);
        var rows = new ShapeRow[local.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            int parent = local.ParentShape[i];
            var rootKey = parent < 0 ? local.RootKeys[local.RootKey[i]] : default;
            string? field = local.Field[i] == PathShapes.FirstStep ? null : graph.FieldName(local.Field[i]);
            rows[i] = new ShapeRow(parent < 0 ? -1 : parent, rootKey, graph.TypeName(local.Type[i]), field, local.MaxRun[i],
                new Sums(counts[i], bytes[i], retained[i]));
        }
        return rows;
    }
}
