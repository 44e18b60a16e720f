namespace LeakLab.Notebooks.Results;

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

    /// <summary>"roots": snapshot, kind, name, type, address.</summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames() =>
    [
        new("roots", Frames.Of(
            Frames.Text("snapshot", this.Select(_ => Snapshot)),
            Frames.Text("kind", this.Select(r => r.Kind.ToString())),
            Frames.Text("name", this.Select(r => r.Name)),
            Frames.Text("type", this.Select(r => r.Type)),
            Frames.Text("address", this.Select(r => Frames.Hex(r.Address))))),
    ];
}
