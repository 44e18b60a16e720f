namespace LeakLab.Core.Graph;

/// <summary>Special values of a reference's field id (see <see cref="HeapGraph.ChildFields"/>).</summary>
public static class FieldIds
{
    /// <summary>The source does not know which field holds the reference (EventPipe snapshots).</summary>
    public const int Unknown = -1;
    /// <summary>The reference is an element of an array.</summary>
    public const int ArrayElement = -2;
    /// <summary>The reference comes through a dependent handle (ConditionalWeakTable).</summary>
    public const int DependentHandle = -3;
}
