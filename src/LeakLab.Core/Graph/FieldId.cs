using System.Globalization;

namespace LeakLab.Core.Graph;

/// <summary>
/// The field that holds a reference (<see cref="HeapGraph.ChildFields"/>): a field name's index in one graph, 0 to
/// <see cref="HeapGraph.FieldCount"/> - 1, or one of the negative special values below. One int, no overhead.
/// </summary>
/// <remarks>Made from an int only explicitly; reads back as an int implicitly. Checked as <see cref="NodeId"/> is.</remarks>
public readonly record struct FieldId(int Index) : IComparable<FieldId>
{
    /// <summary>The source does not know which field holds the reference (EventPipe snapshots).</summary>
    public static FieldId Unknown => new(FieldIds.Unknown);
    /// <summary>The reference is an element of an array.</summary>
    public static FieldId ArrayElement => new(FieldIds.ArrayElement);
    /// <summary>The reference comes through a dependent handle (ConditionalWeakTable).</summary>
    public static FieldId DependentHandle => new(FieldIds.DependentHandle);

    /// <summary>True for the special values, which name no field of the graph.</summary>
    public bool IsSpecial => Index < 0;

    public static explicit operator FieldId(int index) => new(index);
    public static implicit operator int(FieldId id) => id.Index;
    public int CompareTo(FieldId other) => Index.CompareTo(other.Index);
    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture);
}
