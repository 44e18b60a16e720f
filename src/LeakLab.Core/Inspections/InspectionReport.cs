namespace LeakLab;

/// <summary>All findings, most serious first, and the notes of inspections that could not decide.</summary>
public sealed record InspectionReport(IReadOnlyList<SnapshotInfo> Snapshots, IReadOnlyList<Finding> Findings, IReadOnlyList<InspectionNote> Notes);
