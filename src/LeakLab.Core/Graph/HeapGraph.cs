using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakLab.Core.Graph;

/// <summary>
/// An immutable heap graph: one int-indexed node per object, references in CSR form, and named roots.
/// </summary>
/// <remarks>
/// No object per node: a node is an index into parallel arrays, so tens of millions of objects cost
/// about 21 bytes each plus 8 bytes per reference. Build it with <see cref="HeapGraphBuilder"/>;
/// analyses keep their own results in side arrays indexed by node. A graph reopened from its index
/// (<see cref="GraphIndex"/>) maps those arrays from the file (<see cref="Column{T}"/>) instead of holding them.
/// </remarks>
public sealed class HeapGraph
{
    internal readonly Column<ulong> Addresses;  // ascending, so FindNode is a binary search
    internal readonly Column<int> NodeTypes;
    internal readonly Column<uint> NodeSizes;
    internal readonly Dictionary<int, long>? HugeSizes; // the rare object of 4 GiB or more
    internal readonly Column<Generation> NodeGenerations;
    internal readonly Column<int> EdgeStart;    // NodeCount + 1 offsets into EdgeTargets
    internal readonly Column<int> EdgeTargets;
    internal readonly Column<int> EdgeFields;   // FieldId per edge
    private readonly string[] _typeNames;
    private readonly string[] _fieldNames;
    private readonly HeapRoot[] _roots;

    internal HeapGraph(
        SnapshotInfo info, Column<ulong> addresses, Column<int> nodeTypes, Column<uint> nodeSizes, Dictionary<int, long>? hugeSizes,
        Column<Generation> generations, Column<int> edgeStart, Column<int> edgeTargets, Column<int> edgeFields,
        string[] typeNames, string[] fieldNames, HeapRoot[] roots)
    {
        Info = info;
        Addresses = addresses;
        NodeTypes = nodeTypes;
        NodeSizes = nodeSizes;
        HugeSizes = hugeSizes;
        NodeGenerations = generations;
        EdgeStart = edgeStart;
        EdgeTargets = edgeTargets;
        EdgeFields = edgeFields;
        _typeNames = typeNames;
        _fieldNames = fieldNames;
        _roots = roots;
    }

    public SnapshotInfo Info { get; }
    public int NodeCount => NodeTypes.Length;
    public int EdgeCount => EdgeTargets.Length;
    public int TypeCount => _typeNames.Length;
    /// <summary>Named fields (the special <see cref="FieldId"/> values not counted).</summary>
    public int FieldCount => _fieldNames.Length;
    /// <summary>The roots; a <see cref="RootId"/> is an index into this list.</summary>
    public IReadOnlyList<HeapRoot> Roots => _roots;

    // Every accessor checks its id by the one rule of IdOutOfRangeException; analyses' inner loops read the arrays.

    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public ulong Address(NodeId node) => Addresses[CheckNode(node)];
    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public TypeId TypeOf(NodeId node) => new(NodeTypes[CheckNode(node)]);
    /// <exception cref="IdOutOfRangeException">The type is not in this graph.</exception>
    public string TypeName(TypeId type) => _typeNames[IdOutOfRangeException.Check(type, _typeNames.Length)];
    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public string NodeTypeName(NodeId node) => _typeNames[NodeTypes[CheckNode(node)]];
    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public Generation GenerationOf(NodeId node) => NodeGenerations[CheckNode(node)];
    /// <exception cref="IdOutOfRangeException">The root is not in this graph.</exception>
    public HeapRoot Root(RootId root) => _roots[IdOutOfRangeException.Check(root, _roots.Length)];

    /// <summary>Shallow size of the object in bytes.</summary>
    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public long Size(NodeId node) => SizeAt(CheckNode(node));

    /// <summary><see cref="Size"/> without the id check, for analyses' inner loops over 0..NodeCount-1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long SizeAt(int node)
    {
        uint size = NodeSizes[node];
        return size != uint.MaxValue || HugeSizes is null ? size : HugeSizes[node];
    }

    /// <summary>The nodes this node references, in field order. Allocation-free.</summary>
    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public ReadOnlySpan<NodeId> Children(NodeId node) => MemoryMarshal.Cast<int, NodeId>(EdgeSpan(EdgeTargets, node));

    /// <summary>The field of each reference in <see cref="Children"/>; see <see cref="FieldName"/>.</summary>
    /// <exception cref="IdOutOfRangeException">The node is not in this graph.</exception>
    public ReadOnlySpan<FieldId> ChildFields(NodeId node) => MemoryMarshal.Cast<int, FieldId>(EdgeSpan(EdgeFields, node));

    private ReadOnlySpan<int> EdgeSpan(Column<int> edges, NodeId node) => EdgeSpan(edges, CheckNode(node));

    private ReadOnlySpan<int> EdgeSpan(Column<int> edges, int v)
    {
        int start = EdgeStart[v];
        return edges.Slice(start, EdgeStart[v + 1] - start);
    }

    /// <summary>A field's name; array elements read "[]", dependent handles "(dependent handle)", unknown fields "?".</summary>
    /// <exception cref="IdOutOfRangeException">The field is not in this graph.</exception>
    public string FieldName(FieldId field) => IdOutOfRangeException.Check(field, _fieldNames.Length).Index switch
    {
        FieldIds.ArrayElement => "[]",
        FieldIds.DependentHandle => "(dependent handle)",
        FieldIds.Unknown => "?",
        int named => _fieldNames[named],
    };

    /// <summary>The node at exactly this address, or <see cref="NodeId.None"/>.</summary>
    public NodeId FindNode(ulong address)
    {
        // By index, not over a span: a mapped column then checks (and pages in) only the ~25 blocks the search visits.
        int lo = 0, hi = Addresses.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            ulong a = Addresses[mid];
            if (a == address)
                return new(mid);
            if (a < address)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return NodeId.None;
    }

    /// <summary>Types whose name matches <paramref name="pattern"/> in any way of <see cref="TypePattern"/> (full name, short name, part of a name).</summary>
    /// <exception cref="LeakLabException">The pattern is empty.</exception>
    public IEnumerable<TypeId> FindTypes(string pattern)
    {
        var typePattern = new TypePattern(pattern);
        for (int t = 0; t < _typeNames.Length; t++)
        {
            if (typePattern.IsMatch(_typeNames[t]))
                yield return new(t);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CheckNode(NodeId node) => IdOutOfRangeException.Check(node, NodeTypes.Length);

    // Raw-index forms for LeakLab.Core's own inner loops (analyses, inspections) over indexes they took from the
    // arrays themselves; unchecked beyond the arrays' own bounds. Everything outside Core goes through the ids.
    internal ulong Address(int node) => Addresses[node];
    internal int TypeOf(int node) => NodeTypes[node];
    internal string TypeName(int type) => _typeNames[type];
    internal string NodeTypeName(int node) => _typeNames[NodeTypes[node]];
    internal Generation GenerationOf(int node) => NodeGenerations[node];
    internal long Size(int node) => SizeAt(node);
    internal ReadOnlySpan<int> Children(int node) => EdgeSpan(EdgeTargets, node);
    internal ReadOnlySpan<int> ChildFields(int node) => EdgeSpan(EdgeFields, node);
    internal string FieldName(int field) => FieldName(new FieldId(field));

    /// <summary>Bytes this model holds in memory (arrays only), to report overhead per object.</summary>
    public long ModelBytes =>
        (long)Addresses.Length * 8 + NodeTypes.Length * 4L + NodeSizes.Length * 4L + NodeGenerations.Length
        + EdgeStart.Length * 4L + EdgeTargets.Length * 4L + EdgeFields.Length * 4L;

    public override string ToString() =>
        $"HeapGraph({Info.Label}: {NodeCount:N0} objects, {EdgeCount:N0} references, {TypeCount:N0} types, {_roots.Length:N0} roots)";
}
