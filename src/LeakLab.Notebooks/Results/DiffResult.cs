namespace LeakLab;

/// <summary>Snapshots compared in time order: every type's trend, suspects (growing, by score) first.</summary>
public sealed class DiffResult : ResultList<TypeTrend>
{
    internal DiffResult(IReadOnlyList<string> snapshots, SnapshotComparison comparison) : base(comparison.Types)
    {
        SnapshotNames = snapshots;
        Comparison = comparison;
    }

    public IReadOnlyList<string> SnapshotNames { get; }
    public SnapshotComparison Comparison { get; }
    public IReadOnlyList<RootTrend> Roots => Comparison.Roots;
    public IReadOnlyList<PathTrend> Paths => Comparison.Paths;
    public IEnumerable<TypeTrend> Suspects => this.Where(t => t.Growing);

    public override string ToHtml() => Render.DiffHtml(Comparison);
    public override string ToText() => Render.DiffText(Comparison);
}
