namespace LeakLab.Core.Graph;

/// <summary>
/// Builds a <see cref="HeapGraph"/>: add types, then nodes in ascending address order, then edges
/// grouped by source node, then roots; <see cref="Build"/> freezes the arrays. Single use.
/// </summary>
/// <remarks>
/// Sources (ClrMD dumps, EventPipe snapshots) produce nodes and edges in heap order, so the common
/// path appends straight into CSR arrays. Edges added out of order are accepted and sorted once in
/// <see cref="Build"/> (hand-built test graphs do that).
/// </remarks>
public sealed class HeapGraphBuilder
{
    private readonly Interner<string> _typeNames = new(StringComparer.Ordinal);
    private readonly Interner<string> _fieldNames = new(StringComparer.Ordinal);
    private readonly List<HeapRoot> _roots = [];
    private Dictionary<int, long>? _hugeSizes;

    private ulong[] _addresses;
    private int[] _nodeTypes;
    private uint[] _sizes;
    private Generation[] _generations;
    private int _nodeCount;

    private int[] _edgeCounts = [];   // per source node, filled as edges arrive
    private int[] _targets;
    private int[] _fields;
    private int[]? _sources;          // only kept once edges arrive out of order
    private int _edgeCount;
    private int _lastSource = -1;
    private int _maxTarget = -1;      // the largest target AddEdgeAhead was given
    private bool _built;

    public HeapGraphBuilder(int expectedNodes = 1024, int expectedEdges = 1024)
    {
        expectedNodes = Math.Max(expectedNodes, 16);
        expectedEdges = Math.Max(expectedEdges, 16);
        _addresses = new ulong[expectedNodes];
        _nodeTypes = new int[expectedNodes];
        _sizes = new uint[expectedNodes];
        _generations = new Generation[expectedNodes];
        _targets = new int[expectedEdges];
        _fields = new int[expectedEdges];
        _edgeCounts = new int[expectedNodes + 1]; // + 1: Build turns it into EdgeStart
    }

    public int NodeCount => _nodeCount;
    public int EdgeCount => _edgeCount;

    /// <summary>Interns a (normalised) type name and returns its id.</summary>
    public TypeId AddType(string name) => new(_typeNames.Intern(name));

    /// <summary>Interns a field name and returns its id.</summary>
    public FieldId AddField(string name) => new(_fieldNames.Intern(name));

    /// <summary>Adds an object. Addresses must ascend; pass 0 to get a synthetic address (hand-built graphs).</summary>
    /// <exception cref="IdOutOfRangeException">The type was not returned by <see cref="AddType"/>.</exception>
    public NodeId AddNode(TypeId type, long size, Generation generation = Generation.Gen0, ulong address = 0)
    {
        ThrowIfBuilt();
        int typeId = IdOutOfRangeException.Check(type, _typeNames.Count);
        if (address == 0)
            address = _nodeCount == 0 ? 0x1000 : _addresses[_nodeCount - 1] + 0x20;
        else if (_nodeCount > 0 && address <= _addresses[_nodeCount - 1])
            throw new ArgumentException($"Node addresses must ascend: 0x{address:x} after 0x{_addresses[_nodeCount - 1]:x}.", nameof(address));

        if (_nodeCount == _addresses.Length)
        {
            int grown = checked(_addresses.Length * 2);
            Array.Resize(ref _addresses, grown);
            Array.Resize(ref _nodeTypes, grown);
            Array.Resize(ref _sizes, grown);
            Array.Resize(ref _generations, grown);
        }

        int node = _nodeCount++;
        _addresses[node] = address;
        _nodeTypes[node] = typeId;
        _generations[node] = generation;
        if (size >= uint.MaxValue)
        {
            _sizes[node] = uint.MaxValue;
            (_hugeSizes ??= [])[node] = size;
        }
        else
        {
            _sizes[node] = (uint)Math.Max(size, 0);
        }
        return new(node);
    }

    /// <summary>Convenience for hand-built graphs: interns the type, then adds the node.</summary>
    public NodeId AddNode(string typeName, long size, Generation generation = Generation.Gen0) =>
        AddNode(AddType(typeName), size, generation);

    /// <summary>The type name of a node added so far.</summary>
    /// <exception cref="IdOutOfRangeException">The node was not added.</exception>
    public string NodeTypeName(NodeId node) => _typeNames.Keys[_nodeTypes[IdOutOfRangeException.Check(node, _nodeCount)]];

    /// <summary>The node at an address added so far, or <see cref="NodeId.None"/> (binary search).</summary>
    public NodeId FindNode(ulong address)
    {
        int i = Array.BinarySearch(_addresses, 0, _nodeCount, address);
        return new(i >= 0 ? i : -1);
    }

    /// <summary>Adds a reference from <paramref name="source"/> to <paramref name="target"/> whose field is not known.</summary>
    public void AddEdge(NodeId source, NodeId target) => AddEdge(source, target, FieldId.Unknown);

    /// <summary>Adds a reference from <paramref name="source"/> to <paramref name="target"/> held in a field.</summary>
    /// <exception cref="IdOutOfRangeException">A node was not added, or the field not returned by <see cref="AddField"/>.</exception>
    public void AddEdge(NodeId source, NodeId target, FieldId field)
    {
        ThrowIfBuilt();
        IdOutOfRangeException.Check(source, _nodeCount, nameof(source));
        IdOutOfRangeException.Check(target, _nodeCount, nameof(target));
        Append(source, target, IdOutOfRangeException.Check(field, _fieldNames.Count));
    }

    /// <summary>
    /// For a loader that numbered every object before adding any (a counted heap walk adds each node and its references
    /// in one pass): a reference to a node that may not be added yet. <see cref="Build"/> checks that it was.
    /// </summary>
    /// <exception cref="IdOutOfRangeException">The source was not added, or the field not returned by <see cref="AddField"/>.</exception>
    internal void AddEdgeAhead(NodeId source, NodeId target, FieldId field)
    {
        ThrowIfBuilt();
        IdOutOfRangeException.Check(source, _nodeCount, nameof(source));
        IdOutOfRangeException.Check(target, int.MaxValue, nameof(target));
        _maxTarget = Math.Max(_maxTarget, target);
        Append(source, target, IdOutOfRangeException.Check(field, _fieldNames.Count));
    }

    private void Append(int source, int target, int fieldId)
    {
        if (_edgeCounts.Length < _nodeCount + 1)
            Array.Resize(ref _edgeCounts, Math.Max(_nodeCount + 1, _edgeCounts.Length * 2)); // + 1: Build turns it into EdgeStart
        if (_edgeCount == _targets.Length)
        {
            int grown = checked(_targets.Length * 2);
            Array.Resize(ref _targets, grown);
            Array.Resize(ref _fields, grown);
            if (_sources is not null)
                Array.Resize(ref _sources, grown);
        }

        if (source < _lastSource && _sources is null)
        {
            // First out-of-order edge: remember the source of every edge so Build can sort.
            _sources = new int[_targets.Length];
            int e = 0;
            for (int n = 0; n <= _lastSource; n++)
            {
                for (int k = 0; k < _edgeCounts[n]; k++)
                    _sources[e++] = n;
            }
        }

        if (_sources is not null)
            _sources[_edgeCount] = source;
        _targets[_edgeCount] = target;
        _fields[_edgeCount] = fieldId;
        _edgeCount++;
        _edgeCounts[source]++;
        _lastSource = Math.Max(_lastSource, source);
    }

    /// <summary>Convenience: an edge held in a named field.</summary>
    public void AddEdge(NodeId source, NodeId target, string fieldName) => AddEdge(source, target, AddField(fieldName));

    /// <summary>Adds a root that keeps <paramref name="node"/> alive and returns its id.</summary>
    /// <exception cref="IdOutOfRangeException">The node was not added.</exception>
    public RootId AddRoot(RootKind kind, string name, NodeId node)
    {
        ThrowIfBuilt();
        IdOutOfRangeException.Check(node, _nodeCount);
        _roots.Add(new HeapRoot(kind, name, node));
        return new(_roots.Count - 1);
    }

    /// <summary>Freezes everything into an immutable graph. The builder cannot be used afterwards.</summary>
    public HeapGraph Build(SnapshotInfo? info = null)
    {
        ThrowIfBuilt();
        int n = _nodeCount;
        if (_maxTarget >= n)
            throw new InvalidOperationException($"A reference was added to node {_maxTarget}, but only {n} nodes were.");
        _built = true;

        int[] edgeStart = EdgeStartFromCounts(n);

        int[] targets;
        int[] fields;
        if (_sources is null)
        {
            targets = Trim(_targets, _edgeCount);
            fields = Trim(_fields, _edgeCount);
        }
        else
        {
            // Stable counting sort by source keeps each node's field order.
            targets = new int[_edgeCount];
            fields = new int[_edgeCount];
            var next = (int[])edgeStart.Clone();
            for (int e = 0; e < _edgeCount; e++)
            {
                int slot = next[_sources[e]]++;
                targets[slot] = _targets[e];
                fields[slot] = _fields[e];
            }
        }

        var graph = new HeapGraph(
            info ?? SnapshotInfo.HandBuilt(),
            Trim(_addresses, n), Trim(_nodeTypes, n), Trim(_sizes, n), _hugeSizes, Trim(_generations, n),
            edgeStart, targets, fields, [.. _typeNames.Keys], [.. _fieldNames.Keys], [.. _roots]);

        _addresses = []; _nodeTypes = []; _sizes = []; _generations = [];
        _targets = []; _fields = []; _sources = null; _edgeCounts = [];
        return graph;
    }

    /// <summary>
    /// The CSR offsets from the per-node edge counts, in place over the counts when they have room for one more entry
    /// (they do once every node was added before the first edge, as sources add them): a node array less at the peak.
    /// </summary>
    private int[] EdgeStartFromCounts(int n)
    {
        int[] counts = _edgeCounts;
        int[] edgeStart = counts.Length == n + 1 ? counts : new int[n + 1];
        int total = 0;
        for (int i = 0; i < n; i++)
        {
            int c = i < counts.Length ? counts[i] : 0;
            edgeStart[i] = total;
            total += c;
        }
        edgeStart[n] = total;
        return edgeStart;
    }

    private static T[] Trim<T>(T[] array, int length)
    {
        if (array.Length == length)
            return array;
        var trimmed = new T[length];
        Array.Copy(array, trimmed, length);
        return trimmed;
    }

    private void ThrowIfBuilt()
    {
        if (_built)
            throw new InvalidOperationException("This HeapGraphBuilder has already built its graph; create a new one.");
    }
}
