namespace LeakLab.Notebooks.Results;

/// <summary>
/// The inspections' findings over a series of snapshots, most serious first, what they could not decide, and a chart
/// of the count behind each finding per snapshot.
/// </summary>
public sealed class InspectResult : ResultList<Finding>
{
    internal InspectResult(IReadOnlyList<string> snapshots, InspectionReport report) : base(report.Findings)
    {
        SnapshotNames = snapshots;
        Report = report;
        Chart = InspectionCharts.FindingCounts(report);
    }

    public IReadOnlyList<string> SnapshotNames { get; }
    public InspectionReport Report { get; }
    public IReadOnlyList<InspectionNote> Notes => Report.Notes;

    /// <summary>Counts per snapshot of each finding that has them (Plotly figure); null for one snapshot or no such finding.</summary>
    public PlotlyFigure? Chart { get; }

    /// <summary>The findings, then the chart carrying plotly.js (about 4.8 MB) when there is one.</summary>
    public override string ToHtml() => ToHtml(PlotlyScriptMode.Inline);

    /// <summary>The findings, then the chart for a page that gets plotly.js as <paramref name="mode"/> says.</summary>
    public string ToHtml(PlotlyScriptMode mode) =>
        InspectionHtml.Render(Report) + (Chart is null ? "" : Render.ChartHtml(Chart, mode));

    public override string ToText() => TextReport.Inspect(Report);

    /// <summary>
    /// "findings" (scenario, title, root_kind, root, score, retained_bytes, fix, inspection, evidence joined by "; "),
    /// most serious first; "counts" (snapshot, scenario, root, count), one row per finding with counts and snapshot.
    /// </summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames()
    {
        var counts = this.Where(f => f.Counts.Count == SnapshotNames.Count)
            .SelectMany(f => f.Counts.Select((c, s) => (Finding: f, S: s, Count: c))).ToList();
        return
        [
            new("findings", Frames.Of(
                Frames.Text("scenario", this.Select(f => f.Scenario)),
                Frames.Text("title", this.Select(f => f.Title)),
                Frames.Text("root_kind", this.Select(f => f.Root.Kind)),
                Frames.Text("root", this.Select(f => f.Root.Name)),
                Frames.Real("score", this.Select(f => f.Score)),
                Frames.Long("retained_bytes", this.Select(f => f.RetainedBytes)),
                Frames.Text("fix", this.Select(f => f.Fix)),
                Frames.Text("inspection", this.Select(f => f.Inspection)),
                Frames.Text("evidence", this.Select(f => string.Join("; ", f.Evidence))))),
            new("counts", Frames.Of(
                Frames.Text("snapshot", counts.Select(x => SnapshotNames[x.S])),
                Frames.Text("scenario", counts.Select(x => x.Finding.Scenario)),
                Frames.Text("root", counts.Select(x => x.Finding.Root.Name)),
                Frames.Long("count", counts.Select(x => x.Count)))),
        ];
    }
}
