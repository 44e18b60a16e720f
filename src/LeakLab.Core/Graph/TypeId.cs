using System.Globalization;

namespace LeakLab.Core.Graph;

/// <summary>A type of one <see cref="HeapGraph"/>: its index, 0 to <see cref="HeapGraph.TypeCount"/> - 1. One int, no overhead.</summary>
/// <remarks>Made from an int only explicitly; reads back as an int implicitly. Checked as <see cref="NodeId"/> is.</remarks>
public readonly record struct TypeId(int Index) : IComparable<TypeId>
{
    public static explicit operator TypeId(int index) => new(index);
    public static implicit operator int(TypeId id) => id.Index;
    public int CompareTo(TypeId other) => Index.CompareTo(other.Index);
    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture);
}
