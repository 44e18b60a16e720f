namespace LeakLab.Notebooks.Results;

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

    /// <summary>
    /// Long format, one row per item and snapshot (in time order), suspects first: "types" (snapshot, type, count,
    /// bytes, retained, growing, score), "roots" (snapshot, kind, name, count, retained, growing, score) and "paths"
    /// (snapshot, root_kind, root, path, count, bytes, retained, growing, score).
    /// </summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames()
    {
        var types = PerSnapshot(this);
        var roots = PerSnapshot(Roots);
        var paths = PerSnapshot(Paths);
        return
        [
            new("types", Frames.Of(
                Frames.Text("snapshot", types.Select(x => SnapshotNames[x.S])),
                Frames.Text("type", types.Select(x => x.Row.Type)),
                Frames.Long("count", types.Select(x => x.Row.Counts[x.S])),
                Frames.Long("bytes", types.Select(x => x.Row.Bytes[x.S])),
                Frames.Long("retained", types.Select(x => x.Row.Retained[x.S])),
                Frames.Flag("growing", types.Select(x => x.Row.Growing)),
                Frames.Real("score", types.Select(x => x.Row.Score)))),
            new("roots", Frames.Of(
                Frames.Text("snapshot", roots.Select(x => SnapshotNames[x.S])),
                Frames.Text("kind", roots.Select(x => x.Row.Kind.ToString())),
                Frames.Text("name", roots.Select(x => x.Row.Name)),
                Frames.Long("count", roots.Select(x => x.Row.Counts[x.S])),
                Frames.Long("retained", roots.Select(x => x.Row.Retained[x.S])),
                Frames.Flag("growing", roots.Select(x => x.Row.Growing)),
                Frames.Real("score", roots.Select(x => x.Row.Score)))),
            new("paths", Frames.Of(
                Frames.Text("snapshot", paths.Select(x => SnapshotNames[x.S])),
                Frames.Text("root_kind", paths.Select(x => x.Row.RootKind.ToString())),
                Frames.Text("root", paths.Select(x => x.Row.RootName)),
                Frames.Text("path", paths.Select(x => x.Row.Shape)),
                Frames.Long("count", paths.Select(x => x.Row.Counts[x.S])),
                Frames.Long("bytes", paths.Select(x => x.Row.Bytes[x.S])),
                Frames.Long("retained", paths.Select(x => x.Row.Retained[x.S])),
                Frames.Flag("growing", paths.Select(x => x.Row.Growing)),
                Frames.Real("score", paths.Select(x => x.Row.Score)))),
        ];
    }

    private List<(T Row, int S)> PerSnapshot<T>(IEnumerable<T> rows) =>
        [.. rows.SelectMany(r => Enumerable.Range(0, SnapshotNames.Count).Select(s => (r, s)))];
}
