namespace LeakLab.Notebooks.Results;

/// <summary>Per-type counts and bytes of one snapshot, largest first.</summary>
public sealed class StatsResult : ResultList<TypeStat>
{
    internal StatsResult(string snapshot, IEnumerable<TypeStat> rows) : base(rows) => Snapshot = snapshot;

    public string Snapshot { get; }

    public override string ToHtml() => Render.StatsHtml(this);
    public override string ToText() => Render.StatsText(this);

    /// <summary>"types": snapshot, type, count, bytes, retained (null unless computed).</summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames() => [new("types", Frames.TypeStats(Snapshot, this))];
}
