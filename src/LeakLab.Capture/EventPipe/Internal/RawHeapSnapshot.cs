using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakLab.Capture.EventPipe.Internal;

internal readonly record struct RawRoot(ulong Address, GCRootKind Kind, GCRootFlags Flags, ulong RootId);

/// <summary>A static field's root: the object, the slot holding it (GCRootID), the object's type, the field's name.</summary>
internal readonly record struct RawStatic(ulong Address, ulong Slot, ulong ObjectTypeId, string Field, bool ThreadLocal);

internal readonly record struct RawGenerationRange(long Gc, int Generation, ulong Start, ulong UsedLength, ulong ReservedLength);

/// <summary>
/// The heap-walk events of one GC, as recorded: nodes in walk order with the number of edges each owns, the flat
/// edge stream, type ids with their names, roots by address. <see cref="ToGraph"/> builds the <see cref="HeapGraph"/>.
/// </summary>
/// <remarks>
/// Edges are implicit in the events: node i owns the next EdgeCount targets of the edge stream (the events carry no source address).
/// So the edge stream is kept in arrival order and cut by a running sum of the counts, never matched by address.
/// </remarks>
internal sealed class RawHeapSnapshot
{
    private readonly Interner<ulong> _typeIds = new();
    private readonly Dictionary<ulong, string> _typeNames = [];   // every type the runtime named, used by objects or not

    public List<ulong> NodeAddresses { get; } = [];
    public List<ulong> NodeSizes { get; } = [];
    public List<int> NodeTypes { get; } = [];
    public List<long> NodeEdgeCounts { get; } = [];
    public List<ulong> EdgeTargets { get; } = [];
    public List<RawRoot> Roots { get; } = [];
    public List<RawStatic> Statics { get; } = [];
    public List<(ulong Key, ulong Value)> DependentHandles { get; } = [];
    public List<RawGenerationRange> GenerationRanges { get; } = [];

    public int NodeCount => NodeAddresses.Count;

    /// <summary>A dense index for the runtime type id (a MethodTable address) of an object, assigned on first sight.</summary>
    public int TypeIndex(ulong typeId) => _typeIds.Intern(typeId);

    public void NameType(ulong typeId, string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
            _typeNames[typeId] = name;
    }

    /// <summary>The sum of every node's edge count; equals the length of the edge stream unless events were lost.</summary>
    public long DeclaredEdgeCount()
    {
        long sum = 0;
        foreach (long count in NodeEdgeCounts)
            sum += count;
        return sum;
    }

    /// <summary>
    /// Builds the graph: nodes sorted by address, edges mapped to nodes (targets that are not nodes are dropped), static
    /// fields first among the roots so paths to a static's objects start at the field, weak references left out.
    /// </summary>
    /// <param name="staticOwners">
    /// Declaring type names by static slot address (<see cref="StaticFieldOwners"/>), possibly empty; asked for only when
    /// the roots are added, so the caller can compute it while nodes and edges are built.
    /// </param>
    /// <param name="eventsLost">Events the session reported lost, for the graph's <see cref="LoadReport"/>.</param>
    public HeapGraph ToGraph(SnapshotInfo info, long walkGc, Func<StaticFieldOwners> staticOwners, long eventsLost = 0)
    {
        int n = NodeCount;
        if ((ulong)EdgeTargets.Count != (ulong)DeclaredEdgeCount())
            throw new InvalidDataException($"the nodes own {DeclaredEdgeCount():N0} references but {EdgeTargets.Count:N0} arrived");

        // Where each node's edges start in the stream, by walk order.
        var streamStart = new long[n + 1];
        for (int i = 0; i < n; i++)
            streamStart[i + 1] = streamStart[i] + NodeEdgeCounts[i];

        // Walk order follows the heap's regions, which need not ascend; the graph wants ascending addresses.
        ulong[] addresses = [.. NodeAddresses];
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        Array.Sort(addresses, order);

        var builder = new HeapGraphBuilder(n, EdgeTargets.Count + DependentHandles.Count);
        int[] typeIds = InternTypes(builder);
        Generation[] generations = GenerationsOf(addresses, walkGc);

        // A duplicate address would be one object reported twice; keep the first.
        var nodeOf = new int[n];
        ulong last = 0;
        for (int k = 0; k < n; k++)
        {
            if (k > 0 && addresses[k] == last)
            {
                nodeOf[k] = -1;
                continue;
            }
            int s = order[k];
            ulong size = NodeSizes[s];
            nodeOf[k] = builder.AddNode((TypeId)(typeIds[NodeTypes[s]]), size > long.MaxValue ? long.MaxValue : (long)size, generations[k], addresses[k]);
            last = addresses[k];
        }
        ulong[] nodeAddresses = new ulong[builder.NodeCount];
        for (int k = 0; k < n; k++)
        {
            if (nodeOf[k] >= 0)
                nodeAddresses[nodeOf[k]] = addresses[k];
        }

        long dropped = 0;
        for (int k = 0; k < n; k++)
        {
            if (nodeOf[k] < 0)
                continue;
            int s = order[k];
            for (long e = streamStart[s], end = streamStart[s + 1]; e < end; e++)
            {
                int target = Find(nodeAddresses, EdgeTargets[(int)e]);
                if (target >= 0)
                    builder.AddEdge((NodeId)nodeOf[k], (NodeId)target, FieldId.Unknown);
                else
                    dropped++;
            }
        }

        // ConditionalWeakTable entries: the key keeps the value alive, as a dump's dependent handles do.
        foreach ((ulong key, ulong value) in DependentHandles)
        {
            int from = Find(nodeAddresses, key), to = Find(nodeAddresses, value);
            if (from >= 0 && to >= 0)
                builder.AddEdge((NodeId)from, (NodeId)to, FieldId.DependentHandle);
        }

        AddRoots(builder, nodeAddresses, staticOwners());
        long bytes = 0;
        for (int k = 0; k < n; k++)
        {
            if (nodeOf[k] >= 0)
                bytes += (long)Math.Min(NodeSizes[order[k]], long.MaxValue);
        }
        return builder.Build(info with
        {
            Load = new LoadReport
            {
                Source = "eventpipe",
                Objects = builder.NodeCount,
                Bytes = bytes,
                // Not counted: on a healthy process a third of the root events name no object of the walk (stack
                // interior pointers, objects outside the GC heap), so the count would say nothing about loss.
                RootsUnresolved = null,
                EventsLost = eventsLost,
                ReferencesDropped = dropped,
            },
        });
    }

    private int[] InternTypes(HeapGraphBuilder builder)
    {
        var ids = new int[_typeIds.Count];
        for (int t = 0; t < ids.Length; t++)
            ids[t] = builder.AddType(TypeName(t));
        return ids;
    }

    /// <summary>The normalised name of a type index; a type the runtime never named keeps its id.</summary>
    private string TypeName(int index) => TypeNameOfId(_typeIds.Keys[index]);

    private string TypeNameOfId(ulong typeId) =>
        _typeNames.TryGetValue(typeId, out string? name) ? TypeNameNormalizer.Normalize(name) : $"<unknown type 0x{typeId:x}>";

    private void AddRoots(HeapGraphBuilder builder, ulong[] nodeAddresses, StaticFieldOwners statics)
    {
        IReadOnlyDictionary<ulong, string> staticOwners = statics.Owners;
        var seenStatics = new HashSet<(string, int)>();
        var reported = Statics.Select(s => s.Slot).ToHashSet();
        // The statics the runtime's events leave out (generic instantiations, thread statics), named as a dump names
        // them; an object whose type the snapshot disagrees with moved or died since and is not guessed at.
        var missing = statics.Slots.Where(s => !reported.Contains(s.Slot.Slot)).ToList();
        foreach (var (slot, objectType) in missing.Where(s => s.Slot.Kind == RootKind.StaticField))
            AddStatic(slot, objectType);
        foreach (RawStatic s in Statics.Where(s => !s.ThreadLocal).Concat(Statics.Where(s => s.ThreadLocal)))
        {
            int node = Find(nodeAddresses, s.Address);
            // The event names the object's type, not the field's declaring type; never pass one off as the other.
            string name = staticOwners.TryGetValue(s.Slot, out string? owner)
                ? $"{owner}.{s.Field}"
                : $"{s.Field} (static field of an unknown type, holding {TypeNameOfId(s.ObjectTypeId)})";
            if (node >= 0 && seenStatics.Add((name, node)))
                builder.AddRoot(s.ThreadLocal ? RootKind.ThreadStaticField : RootKind.StaticField, name, (NodeId)node);
        }
        foreach (var (slot, objectType) in missing.Where(s => s.Slot.Kind != RootKind.StaticField))
            AddStatic(slot, objectType);

        void AddStatic(LeakLab.Dumps.Internal.StaticSlot slot, string objectType)
        {
            int node = Find(nodeAddresses, slot.Object);
            if (node >= 0 && NestedTypeMatch.SameType(builder.NodeTypeName((NodeId)node), objectType) && seenStatics.Add((slot.Name, node)))
                builder.AddRoot(slot.Kind, slot.Name, (NodeId)node);
        }

        var seen = new HashSet<(RootKind, int)>();
        foreach (RawRoot root in Roots.OrderBy(r => KindOrder(r.Kind)))
        {
            if ((root.Flags & GCRootFlags.WeakRef) != 0)
                continue; // weak references keep nothing alive
            int node = Find(nodeAddresses, root.Address);
            if (node < 0)
                continue; // an interior pointer, or an object the walk did not report
            (RootKind kind, string name) = Describe(root);
            // The stack names no thread or frame here, so one object on many stack slots is one root.
            if (kind is RootKind.ThreadStack or RootKind.FinalizerQueue && !seen.Add((kind, node)))
                continue;
            builder.AddRoot(kind, name, (NodeId)node);
        }
    }

    private static int KindOrder(GCRootKind kind) => kind switch
    {
        GCRootKind.Stack => 0,
        GCRootKind.Handle or GCRootKind.SizedRef => 1,
        GCRootKind.Finalizer => 2,
        _ => 3,
    };

    /// <summary>Kinds and names as the dump loader gives them where EventPipe has the same facts.</summary>
    private static (RootKind Kind, string Name) Describe(RawRoot root) => root.Kind switch
    {
        GCRootKind.Stack => (RootKind.ThreadStack, "thread stack"),
        GCRootKind.Finalizer => (RootKind.FinalizerQueue, "finalizer queue (ready for finalization)"),
        GCRootKind.Handle when (root.Flags & GCRootFlags.Pinning) != 0 => (RootKind.PinnedHandle, $"pinned handle 0x{root.RootId:x}"),
        GCRootKind.Handle when (root.Flags & GCRootFlags.RefCounted) != 0 => (RootKind.OtherHandle, $"ref-counted handle 0x{root.RootId:x}"),
        GCRootKind.Handle => (RootKind.StrongHandle, $"strong handle 0x{root.RootId:x}"),
        GCRootKind.SizedRef => (RootKind.OtherHandle, $"sized-ref handle 0x{root.RootId:x}"),
        _ => (RootKind.Other, $"{root.Kind} root"),
    };

    /// <summary>
    /// Generations from the GCGenerationRange events of the heap-walk GC, when the runtime sent them; otherwise
    /// <see cref="Generation.Unknown"/> for every node.
    /// </summary>
    private Generation[] GenerationsOf(ulong[] sortedAddresses, long walkGc)
    {
        var result = new Generation[sortedAddresses.Length];
        Array.Fill(result, Generation.Unknown);
        RawGenerationRange[] ranges = [.. GenerationRanges.Where(r => r.Gc == walkGc && r.UsedLength > 0).OrderBy(r => r.Start)];
        if (ranges.Length == 0)
            return result;

        int next = 0;
        for (int k = 0; k < sortedAddresses.Length; k++)
        {
            ulong a = sortedAddresses[k];
            while (next < ranges.Length && ranges[next].Start + ranges[next].UsedLength <= a)
                next++;
            if (next < ranges.Length && a >= ranges[next].Start)
                result[k] = ranges[next].Generation switch
                {
                    0 => Generation.Gen0,
                    1 => Generation.Gen1,
                    2 => Generation.Gen2,
                    3 => Generation.Large,
                    4 => Generation.Pinned,
                    _ => Generation.Unknown,
                };
        }
        return result;
    }

    private static int Find(ulong[] sorted, ulong address)
    {
        int i = Array.BinarySearch(sorted, address);
        return i >= 0 ? i : -1;
    }
}
