using System.Globalization;

namespace LeakLab.Core.Graph;

/// <summary>
/// An object of one <see cref="HeapGraph"/>: its index, 0 to <see cref="HeapGraph.NodeCount"/> - 1. One int, no overhead.
/// </summary>
/// <remarks>
/// Made from an int only explicitly (<c>(NodeId)5</c>), so a type, field or root index cannot pass for a node; reads
/// back as an int implicitly, to index an analysis's side arrays. Every graph and analysis checks it by one rule
/// (see <see cref="IdOutOfRangeException"/>).
/// </remarks>
public readonly record struct NodeId(int Index) : IComparable<NodeId>
{
    /// <summary>No node: what <see cref="HeapGraph.FindNode"/> returns for an address that starts no object.</summary>
    public static NodeId None => new(-1);

    public static explicit operator NodeId(int index) => new(index);
    public static implicit operator int(NodeId id) => id.Index;
    public int CompareTo(NodeId other) => Index.CompareTo(other.Index);
    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture);
}
