using System.Runtime.CompilerServices;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Turns an open dump into a <see cref="HeapGraph"/> with two linear walks over the heap's memory: count (and
/// index) the objects and their references, then add each node with its edges; then the roots.
/// </summary>
/// <remarks>
/// Counting first lets the builder allocate every array at its final size, so the model is never grown by
/// doubling or trimmed by copying: peak memory is the model plus the <see cref="ObjectIndex"/> (a few MB), not two
/// or three times the model. The walks themselves are cheap because <see cref="HeapWalker"/> reads memory in
/// blocks; edges need node ids of objects not yet added, which the index answers from the first walk on.
/// </remarks>
internal static class GraphExtractor
{
    public static HeapGraph Extract(DumpSession session, DumpLoadOptions options)
    {
        CancellationToken cancel = options.CancellationToken;
        IProgress<LoadProgress>? progress = options.Progress;
        var types = new MethodTableCache(session.Heap, session.Memory);
        var walker = new HeapWalker(session.Heap, session.Memory, types);
        var index = new ObjectIndex([.. walker.Segments.Select(s => (s.Start, s.End))]);

        var counter = new CountingVisitor(index);
        using (IndexTimings.Start("walk: count objects"))
            walker.Walk(ref counter, progress, "objects", cancel);
        index.Freeze();
        CheckEnoughRead(session, index.Count, walker.Damage);

        progress?.Report(new LoadProgress("roots", 0, 1));
        var roots = new RootReader(session.Runtime);
        using (IndexTimings.Start("roots"))
            roots.ReadAll(cancel);
        (int Primary, int Secondary)[] dependents = ResolveDependents(roots.DependentHandles, index);
        progress?.Report(new LoadProgress("roots", 1, 1));

        long edgeCapacity = counter.References + dependents.Length;
        if (edgeCapacity > Array.MaxLength)
            throw new LeakLabException(LeakLabErrorKind.Failed, $"{session.Path} has {edgeCapacity:N0} references, more than LeakLab's graph can hold ({Array.MaxLength:N0})");
        var builder = new HeapGraphBuilder(index.Count, (int)edgeCapacity);

        // Nodes and their references in one walk: the index numbered every object already, so a reference to an
        // object further on is added before that object is.
        var edges = new NodeAndEdgeVisitor(builder, index, dependents);
        using (IndexTimings.Start("walk: nodes and references"))
            walker.Walk(ref edges, progress, "references", cancel);
        if (builder.NodeCount != index.Count)
            throw new InvalidDataException($"the heap walk found {builder.NodeCount:N0} objects the second time and {index.Count:N0} the first");
        HeapDamage damage = walker.Damage with { DanglingReferences = edges.Dangling.Value };

        var seen = new HashSet<(RootKind, int)>();
        int unresolved = 0;
        foreach (RawRoot root in roots.Roots)
        {
            int node = index.Find(root.Object);
            if (node < 0)
            {
                unresolved++; // an object on memory the walk skipped, or a root that holds no object start
                continue;
            }
            // A stack slot and a register often hold the same object in the same frame; one root says it all.
            if (root.Kind is RootKind.ThreadStack or RootKind.FinalizerQueue && !seen.Add((root.Kind, node)))
                continue;
            builder.AddRoot(root.Kind, root.Name, (NodeId)node);
        }
        var load = new LoadReport
        {
            Source = "dump",
            Objects = builder.NodeCount,
            Bytes = edges.Bytes.Value,
            RootsUnresolved = unresolved,
            RootSourcesUnread = roots.Failures,
            ReferencesDropped = damage.DanglingReferences,
            Damage = damage,
        };
        using IndexTimings.Phase build = IndexTimings.Start("build graph");
        return builder.Build(session.Info with { Load = load });
    }

    /// <summary>
    /// Fails with one line when the walk read nothing, or when damage left too little of the heap to be worth
    /// analysing (<see cref="HeapDamage.MaxUnreadShare"/>); smaller damage is reported by the caller, never hidden.
    /// </summary>
    private static void CheckEnoughRead(DumpSession session, long objects, HeapDamage damage)
    {
        if (objects == 0)
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt,
                $"no objects could be read from the GC heap in {session.Path} (a mini or triage dump without heap memory?); take a dump with the heap using `leaklab dump --pid N`");
        if (damage.UnreadShare > HeapDamage.MaxUnreadShare)
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt,
                $"the GC heap in {session.Path} is too damaged to analyse: {damage.Describe()}; take another dump with `leaklab dump --pid N`");
    }

    /// <summary>Per-type counts and bytes with one header-only walk; no graph is built and no roots are read.</summary>
    public static HeapStatistics Statistics(DumpSession session, DumpLoadOptions options)
    {
        var types = new MethodTableCache(session.Heap, session.Memory);
        var walker = new HeapWalker(session.Heap, session.Memory, types);
        var visitor = new StatisticsVisitor();
        walker.Walk(ref visitor, options.Progress, "types", options.CancellationToken);
        HeapDamage damage = walker.Damage;
        CheckEnoughRead(session, visitor.Objects, damage);

        // Two method tables can share a name (the same type loaded twice); a row per name is what users compare.
        var byName = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        foreach (MethodTableInfo type in types.All)
        {
            if (type.Count == 0)
                continue;
            byName.TryGetValue(type.Name, out (long Count, long Bytes) row);
            byName[type.Name] = (row.Count + type.Count, row.Bytes + type.Bytes);
        }
        TypeStat[] rows = [.. byName
            .Select(kv => new TypeStat(kv.Key, kv.Value.Count, kv.Value.Bytes))
            .OrderByDescending(s => s.Bytes)
            .ThenBy(s => s.Type, StringComparer.Ordinal)];
        return new HeapStatistics(rows, new LoadReport
        {
            Source = "dump",
            Objects = visitor.Objects,
            Bytes = rows.Sum(t => t.Bytes),
            RootsUnresolved = null,
            Damage = damage,
        });
    }

    private static (int Primary, int Secondary)[] ResolveDependents(IReadOnlyList<(ulong Primary, ulong Secondary)> handles, ObjectIndex index)
    {
        var resolved = new List<(int Primary, int Secondary)>(handles.Count);
        foreach ((ulong primary, ulong secondary) in handles)
        {
            int p = index.Find(primary), s = index.Find(secondary);
            if (p >= 0 && s >= 0)
                resolved.Add((p, s));
        }
        resolved.Sort();
        return [.. resolved];
    }

    private struct CountingVisitor(ObjectIndex index) : IObjectVisitor
    {
        public long References;

        public readonly bool WantsBody(MethodTableInfo type) => type.Layout is not null;

        public void Visit(ulong address, MethodTableInfo type, ulong size, Generation generation, ReadOnlySpan<byte> bytes)
        {
            index.Mark(address);
            if (type.Layout is { } layout)
            {
                var sink = new CountingSink();
                layout.Walk(bytes, (long)size, ref sink);
                References += sink.Count;
            }
            if (type.LoaderAllocator != 0)
                References++;
        }
    }

    private struct CountingSink : ISlotSink
    {
        public int Count;
        public void Slot(int offset, ulong value) => Count++;
    }

    private struct NodeAndEdgeVisitor(HeapGraphBuilder builder, ObjectIndex index, (int Primary, int Secondary)[] dependents) : IObjectVisitor
    {
        private const string LoaderAllocatorField = "(loader allocator)";
        private readonly Func<string, FieldId> _addField = builder.AddField;
        public readonly StrongBox<long> Dangling = new();
        public readonly StrongBox<long> Bytes = new();
        private int _node;
        private int _nextDependent;

        public readonly bool WantsBody(MethodTableInfo type) => type.Layout is not null;

        public void Visit(ulong address, MethodTableInfo type, ulong size, Generation generation, ReadOnlySpan<byte> bytes)
        {
            int node = _node++;
            Bytes.Value += (long)size;
            if (type.TypeId < 0)
                type.TypeId = builder.AddType(type.Name);
            builder.AddNode((TypeId)type.TypeId, (long)size, generation, address);
            if (type.Layout is { } layout)
            {
                var sink = new EdgeSink(builder, index, node, type.IsArray ? null : type.SlotFields(_addField), Dangling);
                layout.Walk(bytes, (long)size, ref sink);
            }
            if (type.LoaderAllocator != 0 && index.Find(type.LoaderAllocator) is int allocator and >= 0)
                builder.AddEdgeAhead((NodeId)node, (NodeId)allocator, builder.AddField(LoaderAllocatorField));
            while (_nextDependent < dependents.Length && dependents[_nextDependent].Primary <= node)
            {
                (int primary, int secondary) = dependents[_nextDependent++];
                if (primary == node)
                    builder.AddEdgeAhead((NodeId)node, (NodeId)secondary, FieldId.DependentHandle);
            }
        }
    }

    private readonly struct EdgeSink(HeapGraphBuilder builder, ObjectIndex index, int node, int[]? slotFields, StrongBox<long> dangling) : ISlotSink
    {
        public void Slot(int offset, ulong value)
        {
            int target = index.Find(value);
            if (target < 0)
            {
                dangling.Value++; // not an object start: a damaged reference, or one into memory the walk skipped
                return;
            }
            int field = FieldIds.ArrayElement;
            if (slotFields is not null)
            {
                int slot = offset >> 3;
                field = slot < slotFields.Length ? slotFields[slot] : FieldIds.Unknown;
            }
            builder.AddEdgeAhead((NodeId)node, (NodeId)target, (FieldId)field);
        }
    }

    private struct StatisticsVisitor : IObjectVisitor
    {
        public long Objects;

        public readonly bool WantsBody(MethodTableInfo type) => false;

        public void Visit(ulong address, MethodTableInfo type, ulong size, Generation generation, ReadOnlySpan<byte> bytes)
        {
            Objects++;
            type.Count++;
            type.Bytes += (long)size;
        }
    }
}
