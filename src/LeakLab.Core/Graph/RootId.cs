using System.Globalization;

namespace LeakLab.Core.Graph;

/// <summary>A root of one <see cref="HeapGraph"/>: its index into <see cref="HeapGraph.Roots"/>. One int, no overhead.</summary>
/// <remarks>Made from an int only explicitly; reads back as an int implicitly. Checked as <see cref="NodeId"/> is.</remarks>
public readonly record struct RootId(int Index) : IComparable<RootId>
{
    public static explicit operator RootId(int index) => new(index);
    public static implicit operator int(RootId id) => id.Index;
    public int CompareTo(RootId other) => Index.CompareTo(other.Index);
    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture);
}
