namespace LeakLab.Presentation.Text;

/// <summary>One object among the largest by retained size.</summary>
public sealed record RetainedObject(ulong Address, string Type, long Size, long Retained, long RetainedCount);

/// <summary>One root with its share: what it alone keeps alive, plus what it shares with other roots and is
/// attributed to it by the lasting-root rule (see <see cref="DominatorTree.RetainedByRoot"/>).</summary>
public sealed record RetainedRoot(RootKind Kind, string Name, string Type, ulong Address, long Retained, long RetainedCount);

/// <summary>
/// The tops of a dominator tree that the <c>retained</c> reports show: objects, types and roots by retained size,
/// plus what no root reaches. Computed once so the text and JSON forms agree.
/// </summary>
public sealed record RetainedSummary(
    IReadOnlyList<RetainedObject> Objects,
    IReadOnlyList<TypeStat> Types,
    IReadOnlyList<RetainedRoot> Roots,
    long UnreachableCount,
    long UnreachableBytes,
    long TotalObjects,
    long TotalBytes)
{
    /// <summary>What loading the graph read and could not read (see <see cref="LoadReport.Of"/>).</summary>
    public required LoadReport Load { get; init; }

    /// <summary>The report's figures, read from the tree's <see cref="RetainedTotals"/> (stored in the graph's index once
    /// computed): only a <paramref name="top"/> above <see cref="RetainedTotals.StoredObjects"/> reads the tree itself.</summary>
    public static RetainedSummary Compute(DominatorTree dominators, int top = 20)
    {
        ArgumentNullException.ThrowIfNull(dominators);
        if (top <= 0)
            throw new ArgumentOutOfRangeException(nameof(top), "The number of rows must be positive.");
        HeapGraph graph = dominators.Graph;
        RetainedTotals totals = dominators.GetTotals();

        var objects = totals.LargestObjects(dominators, top)
            .Select(o => new RetainedObject(o.Address, graph.TypeName(o.Type), o.Size, o.Retained, o.RetainedCount))
            .ToArray();

        var types = TypeStatistics.Reachable(dominators)
            .OrderByDescending(t => t.Retained ?? 0).ThenByDescending(t => t.Bytes).ThenBy(t => t.Type, StringComparer.Ordinal)
            .Take(top)
            .ToArray();

        var roots = new List<RetainedRoot>(graph.Roots.Count);
        for (int i = 0; i < graph.Roots.Count; i++)
        {
            HeapRoot root = graph.Roots[i];
            roots.Add(new RetainedRoot(root.Kind, root.Name, graph.TypeName(totals.RootTypes[i]), totals.RootAddresses[i],
                totals.RootBytes[i], totals.RootCounts[i]));
        }
        var topRoots = roots
            .OrderByDescending(r => r.Retained).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(top)
            .ToArray();

        return new RetainedSummary(objects, types, topRoots, dominators.UnreachableCount, dominators.UnreachableBytes,
            graph.NodeCount, totals.TotalBytes) { Load = LoadReport.Of(graph) };
    }
}
