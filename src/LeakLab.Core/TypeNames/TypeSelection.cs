namespace LeakLab.Core.TypeNames;

/// <summary>
/// The types a <see cref="TypePattern"/> selected in one graph (<see cref="TypePattern.Select"/>), best match first, with
/// how many objects each has, so an answer can say which types it is about.
/// </summary>
public sealed class TypeSelection
{
    private readonly bool[] _chosen;

    private TypeSelection(TypePattern pattern, bool[] chosen, IReadOnlyList<Match> types)
    {
        Pattern = pattern;
        _chosen = chosen;
        Types = types;
    }

    /// <param name="Type">The type's full canonical name.</param>
    /// <param name="Kind">How it matched the pattern.</param>
    /// <param name="Objects">Instances in the heap, garbage included (what <c>stats</c> counts).</param>
    /// <param name="Reachable">Instances some root reaches (what paths, retained and diff count); null when not computed.</param>
    public sealed record Match(string Type, TypeMatchKind Kind, long Objects, long? Reachable);

    public TypePattern Pattern { get; }

    /// <summary>Selected types: exact and short-name matches first, then by objects (most first), then by name.</summary>
    public IReadOnlyList<Match> Types { get; }

    /// <summary>Whether the pattern named one type by its full or short name.</summary>
    public bool IsExact => Types.Count == 1 && Types[0].Kind != TypeMatchKind.Contains;

    /// <summary>Whether <paramref name="type"/> of the graph it was selected in is one of <see cref="Types"/>.</summary>
    public bool Contains(TypeId type) => (uint)type.Index < (uint)_chosen.Length && _chosen[type];

    /// <summary>Every instance of the selected types, in node order.</summary>
    public IEnumerable<NodeId> InstancesIn(HeapGraph graph)
    {
        CheckGraph(graph);
        Column<int> types = graph.NodeTypes; // not a span: this is an iterator
        for (int v = 0; v < types.Length; v++)
        {
            if (_chosen[types[v]])
                yield return new(v);
        }
    }

    /// <exception cref="ArgumentException">The selection was made in another graph (one with another number of types).</exception>
    internal void CheckGraph(HeapGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.TypeCount != _chosen.Length)
            throw new ArgumentException("The selection was made in another graph.", nameof(graph));
    }

    internal static TypeSelection Count(TypePattern pattern, HeapGraph graph, bool[] chosen, TypeMatchKind[] kinds, ShortestPaths? paths)
    {
        var objects = new long[chosen.Length];
        var reachable = new long[chosen.Length];
        ReadOnlySpan<int> nodeTypes = graph.NodeTypes.Span;
        for (int v = 0; v < nodeTypes.Length; v++)
        {
            int t = nodeTypes[v];
            if (!chosen[t])
                continue;
            objects[t]++;
            if (paths is not null && paths.IsReachable(v))
                reachable[t]++;
        }
        Match[] types = [.. Enumerable.Range(0, chosen.Length).Where(t => chosen[t])
            .OrderBy(t => kinds[t] == TypeMatchKind.Contains).ThenByDescending(t => objects[t]).ThenBy(graph.TypeName, StringComparer.Ordinal)
            .Select(t => new Match(graph.TypeName(t), kinds[t], objects[t], paths is null ? null : reachable[t]))];
        return new TypeSelection(pattern, chosen, types);
    }
}
