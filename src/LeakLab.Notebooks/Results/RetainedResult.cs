namespace LeakLab.Notebooks.Results;

/// <summary>The largest objects of one snapshot by exact retained size; also the top types and roots.</summary>
public sealed class RetainedResult : ResultList<RetainedObject>
{
    private readonly DominatorTree _tree;
    private readonly int _top;

    internal RetainedResult(string snapshot, DominatorTree tree, int top, RetainedSummary summary) : base(summary.Objects)
    {
        _tree = tree;
        _top = top;
        Snapshot = snapshot;
        Summary = summary;
    }

    public string Snapshot { get; }
    public RetainedSummary Summary { get; }
    public IReadOnlyList<TypeStat> Types => Summary.Types;
    public IReadOnlyList<RetainedRoot> Roots => Summary.Roots;

    public override string ToHtml() => Render.RetainedHtml(_tree, _top);
    public override string ToText() => Render.RetainedText(Summary);

    /// <summary>
    /// "objects" (snapshot, address, type, size, retained, retained_count), then "types" (snapshot, type, count, bytes,
    /// retained) and "roots" (snapshot, kind, name, type, address, retained, retained_count), largest retained first.
    /// </summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames() =>
    [
        new("objects", Frames.Of(
            Frames.Text("snapshot", this.Select(_ => Snapshot)),
            Frames.Text("address", this.Select(o => Frames.Hex(o.Address))),
            Frames.Text("type", this.Select(o => o.Type)),
            Frames.Long("size", this.Select(o => o.Size)),
            Frames.Long("retained", this.Select(o => o.Retained)),
            Frames.Long("retained_count", this.Select(o => o.RetainedCount)))),
        new("types", Frames.TypeStats(Snapshot, [.. Types])),
        new("roots", Frames.Of(
            Frames.Text("snapshot", Roots.Select(_ => Snapshot)),
            Frames.Text("kind", Roots.Select(r => r.Kind.ToString())),
            Frames.Text("name", Roots.Select(r => r.Name)),
            Frames.Text("type", Roots.Select(r => r.Type)),
            Frames.Text("address", Roots.Select(r => Frames.Hex(r.Address))),
            Frames.Long("retained", Roots.Select(r => r.Retained)),
            Frames.Long("retained_count", Roots.Select(r => r.RetainedCount)))),
    ];
}
