using System.Runtime.CompilerServices;

namespace LeakLab;

/// <summary>
/// An immutable heap graph: one int-indexed node per object, references in CSR form, and named roots.
/// </summary>
/// <remarks>
/// No object per node: a node is an index into parallel arrays, so tens of millions of objects cost
/// about 21 bytes each plus 8 bytes per reference. Build it with <see cref="HeapGraphBuilder"/>;
/// analyses keep their own results in side arrays indexed by node.
/// </remarks>
public sealed class HeapGraph
{
    internal readonly ulong[] Addresses;        // ascending, so FindNode is a binary search
    internal readonly int[] NodeTypes;
    internal readonly uint[] NodeSizes;
    internal readonly Dictionary<int, long>? HugeSizes; // the rare object of 4 GiB or more
    internal readonly Generation[] NodeGenerations;
    internal readonly int[] EdgeStart;          // NodeCount + 1 offsets into EdgeTargets
    internal readonly int[] EdgeTargets;
    internal readonly int[] EdgeFields;         // field-name id per edge, or a FieldIds constant
    private readonly string[] _typeNames;
    private readonly string[] _fieldNames;
    private readonly HeapRoot[] _roots;

    internal HeapGraph(
        SnapshotInfo info, ulong[] addresses, int[] nodeTypes, uint[] nodeSizes, Dictionary<int, long>? hugeSizes,
        Generation[] generations, int[] edgeStart, int[] edgeTargets, int[] edgeFields,
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
    public IReadOnlyList<HeapRoot> Roots => _roots;

    public ulong Address(int node) => Addresses[node];
    public int TypeOf(int node) => NodeTypes[node];
    public string TypeName(int typeId) => _typeNames[typeId];
    public string NodeTypeName(int node) => _typeNames[NodeTypes[node]];
    public Generation GenerationOf(int node) => NodeGenerations[node];

    /// <summary>Shallow size of the object in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Size(int node)
    {
        uint size = NodeSizes[node];
        return size != uint.MaxValue || HugeSizes is null ? size : HugeSizes[node];
    }

    /// <summary>The nodes this node references, in field order. Allocation-free.</summary>
    public ReadOnlySpan<int> Children(int node) =>
        new(EdgeTargets, EdgeStart[node], EdgeStart[node + 1] - EdgeStart[node]);

    /// <summary>The field id of each reference in <see cref="Children"/>; see <see cref="FieldName"/>.</summary>
    public ReadOnlySpan<int> ChildFields(int node) =>
        new(EdgeFields, EdgeStart[node], EdgeStart[node + 1] - EdgeStart[node]);

    /// <summary>A field name for a field id; array elements read "[]", unknown fields "?".</summary>
    public string FieldName(int fieldId) => fieldId switch
    {
        FieldIds.ArrayElement => "[]",
        FieldIds.DependentHandle => "(dependent handle)",
        FieldIds.Unknown => "?",
        _ => _fieldNames[fieldId],
    };

    /// <summary>The node at exactly this address, or -1.</summary>
    public int FindNode(ulong address)
    {
        int i = Array.BinarySearch(Addresses, address);
        return i >= 0 ? i : -1;
    }

    /// <summary>Type ids whose name matches <paramref name="pattern"/> in any way of <see cref="TypePattern"/> (full name, short name, part of a name).</summary>
    /// <exception cref="LeakLabException">The pattern is empty.</exception>
    public IEnumerable<int> FindTypes(string pattern)
    {
        var typePattern = new TypePattern(pattern);
        for (int t = 0; t < _typeNames.Length; t++)
        {
            if (typePattern.IsMatch(_typeNames[t]))
                yield return t;
        }
    }

    /// <summary>Bytes this model holds in memory (arrays only), to report overhead per object.</summary>
    public long ModelBytes =>
        (long)Addresses.Length * 8 + NodeTypes.Length * 4L + NodeSizes.Length * 4L + NodeGenerations.Length
        + EdgeStart.Length * 4L + EdgeTargets.Length * 4L + EdgeFields.Length * 4L;

    public override string ToString() =>
        $"HeapGraph({Info.Label}: {NodeCount:N0} objects, {EdgeCount:N0} references, {TypeCount:N0} types, {_roots.Length:N0} roots)";
}
