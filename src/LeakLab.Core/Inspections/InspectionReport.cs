namespace LeakLab.Core.Inspections;

/// <summary>All findings, most serious first, and the notes of inspections that could not decide.</summary>
public sealed record InspectionReport(IReadOnlyList<SnapshotInfo> Snapshots, IReadOnlyList<Finding> Findings, IReadOnlyList<InspectionNote> Notes)
{
    /// <summary>How the snapshots were ordered (see <see cref="CaptureOrder"/>): by recorded capture time, or as given and why.</summary>
    public string? Order { get; init; }
}
