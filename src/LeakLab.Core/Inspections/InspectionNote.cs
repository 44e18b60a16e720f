namespace LeakLab.Core.Inspections;

/// <summary>
/// An inspection that could not decide, and why: one snapshot where growth is needed, or a kind of data the input
/// lacks (runtime tables come from dumps only; field names are missing from EventPipe snapshots).
/// </summary>
public sealed record InspectionNote(string Scenario, string Inspection, string Text);
