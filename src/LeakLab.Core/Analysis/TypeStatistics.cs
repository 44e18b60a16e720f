namespace LeakLab.Core.Analysis;

/// <summary>Per-type counts and shallow bytes over a heap graph.</summary>
public static class TypeStatistics
{
    /// <summary>
    /// Rows sorted by bytes (descending), optionally only the types <paramref name="typePattern"/> matches in any way of
    /// <see cref="TypePattern"/>, exact matches first. With <paramref name="dominators"/>, each row carries its type's retained size.
    /// </summary>
    /// <remarks>Counts every object in the graph, unreachable ones included: that is what the heap holds now.</remarks>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked every 65,536 objects).</exception>
    public static IReadOnlyList<TypeStat> Compute(HeapGraph graph, string? typePattern = null, DominatorTree? dominators = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (dominators is not null && !ReferenceEquals(dominators.Graph, graph))
            throw new ArgumentException("The dominator tree was computed over another graph.", nameof(dominators));
        return Rows(graph, typePattern, dominators, reachableOnly: false, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="Compute"/> with the dominator tree, but counting only the objects a root reaches: retained sizes
    /// are defined for those alone, so each row's retained size is at least its bytes. Types with no reachable
    /// instance are left out.
    /// </summary>
    /// <remarks>Read from the tree's <see cref="RetainedTotals"/> (stored in the graph's index once computed), not from a
    /// pass over the objects.</remarks>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked every 65,536 objects).</exception>
    public static IReadOnlyList<TypeStat> Reachable(DominatorTree dominators, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dominators);
        return Rows(dominators.Graph, null, dominators, reachableOnly: true, cancellationToken);
    }

    private static IReadOnlyList<TypeStat> Rows(HeapGraph graph, string? typePattern, DominatorTree? dominators, bool reachableOnly,
        CancellationToken cancellationToken)
    {
        long[] counts, bytes;
        if (reachableOnly)
        {
            RetainedTotals totals = dominators!.GetTotals(cancellationToken);
            (counts, bytes) = (totals.TypeCounts, totals.TypeBytes);
        }
        else
        {
            counts = new long[graph.TypeCount];
            bytes = new long[graph.TypeCount];
            ReadOnlySpan<int> types = graph.NodeTypes.Span;
            for (int v = 0; v < types.Length; v++)
            {
                if ((v & CancelCheck.Mask) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                int t = types[v];
                counts[t]++;
                bytes[t] += graph.Size(v);
            }
        }

        var rows = new List<TypeStat>();
        for (int t = 0; t < counts.Length; t++)
        {
            if (counts[t] == 0)
                continue;
            string name = graph.TypeName(t);
            rows.Add(new TypeStat(name, counts[t], bytes[t]) { Retained = dominators?.RetainedSizeOfType(t) });
        }
        rows.Sort((a, b) =>
            a.Bytes != b.Bytes ? b.Bytes.CompareTo(a.Bytes)
            : a.Count != b.Count ? b.Count.CompareTo(a.Count)
            : string.CompareOrdinal(a.Type, b.Type));
        return string.IsNullOrEmpty(typePattern) ? rows : new TypePattern(typePattern).Rank(rows, r => r.Type);
    }
}
