namespace LeakLab;

/// <summary>The largest objects of one snapshot by exact retained size; also the top types and roots.</summary>
public sealed class RetainedResult : ResultList<RetainedObject>
{
    private readonly DominatorTree _tree;
    private readonly int _top;

    internal RetainedResult(string snapshot, DominatorTree tree, int top) : this(snapshot, tree, top, RetainedSummary.Compute(tree, top))
    {
    }

    private RetainedResult(string snapshot, DominatorTree tree, int top, RetainedSummary summary) : base(summary.Objects)
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
}
