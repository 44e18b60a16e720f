namespace LeakLab.Core.Inspections;

/// <summary>
/// One snapshot as the inspections see it: the heap graph with its analyses, and the runtime tables when the source
/// was a dump (null for an EventPipe .llhg snapshot, which carries no runtime structures).
/// </summary>
public sealed record InspectionSnapshot(HeapAnalysis Analysis, RuntimeTables? Tables)
{
    public HeapGraph Graph => Analysis.Graph;
}
