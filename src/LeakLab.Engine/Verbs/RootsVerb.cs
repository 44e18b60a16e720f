namespace LeakLab.Engine.Verbs;

/// <summary>Options of <see cref="RootsVerb"/>.</summary>
public sealed record RootsOptions
{
    /// <summary>Only roots of these kinds (parse user text with <see cref="RootKindNames.TryParse"/>); null for all.</summary>
    public IReadOnlyCollection<RootKind>? Kinds { get; init; }
}

/// <summary>What <see cref="RootsVerb"/> found: the roots, in the graph's order, and the graph to name their objects.</summary>
public sealed record RootsAnswer(HeapGraph Graph, IReadOnlyList<HeapRoot> Roots);

/// <summary>The roots of a heap (static fields, handles, thread stacks, the finalizer queue) and what they hold.</summary>
public static class RootsVerb
{
    public static RootsAnswer Run(HeapGraph graph, RootsOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyCollection<RootKind>? kinds = options.Kinds;
        return new RootsAnswer(graph, [.. graph.Roots.Where(r => kinds is null || kinds.Contains(r.Kind))]);
    }
}
