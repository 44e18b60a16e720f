namespace LeakLab;

/// <summary>The inspections' findings over a series of snapshots, most serious first, and what they could not decide.</summary>
public sealed class InspectResult : ResultList<Finding>
{
    internal InspectResult(IReadOnlyList<string> snapshots, InspectionReport report) : base(report.Findings)
    {
        SnapshotNames = snapshots;
        Report = report;
    }

    public IReadOnlyList<string> SnapshotNames { get; }
    public InspectionReport Report { get; }
    public IReadOnlyList<InspectionNote> Notes => Report.Notes;

    public override string ToHtml() => InspectionHtml.Render(Report);
    public override string ToText() => TextReport.Inspect(Report);
}
