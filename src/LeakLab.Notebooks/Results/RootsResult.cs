namespace LeakLab;

/// <summary>The roots of one snapshot (optionally of one kind), in the graph's root order.</summary>
public sealed class RootsResult : ResultList<RootRow>
{
    private readonly HeapGraph _graph;
    private readonly HeapRoot[] _roots;

    internal RootsResult(string snapshot, HeapGraph graph, IEnumerable<HeapRoot> roots)
        : this(snapshot, graph, roots.ToArray())
    {
    }

    private RootsResult(string snapshot, HeapGraph graph, HeapRoot[] roots)
        : base(roots.Select(r => new RootRow(r.Kind, r.Name, graph.NodeTypeName(r.Node), graph.Address(r.Node))))
    {
        Snapshot = snapshot;
        _graph = graph;
        _roots = roots;
    }

    public string Snapshot { get; }

    public override string ToHtml() => Render.RootsHtml(_graph, _roots);
    public override string ToText() => Render.RootsText(_graph, _roots);
}
