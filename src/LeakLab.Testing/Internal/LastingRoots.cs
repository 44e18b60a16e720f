namespace LeakLab.Testing.Internal;

/// <summary>
/// A copy of a heap graph without its thread-stack roots, so that a retention path starts at what keeps an object alive
/// for good (a static field, a GC handle, the finalizer queue) rather than at a frame that happens to hold it right now.
/// </summary>
/// <remarks>
/// A test process always has stack roots near the leak: the test runner's frames, the assertion's own caller. Among
/// shortest paths, <see cref="ShortestPaths"/> prefers stacks to handles; here a stack frame is named only when nothing
/// else reaches the object (a blocked thread that really is the leak). The copy costs about 25 bytes per object and
/// 8 per reference for the time of the explanation. Addresses, types and field names are kept, so nodes are found
/// by address in either graph.
/// </remarks>
internal static class LastingRoots
{
    public static bool HasStackRoots(HeapGraph graph) => graph.Roots.Any(r => r.Kind == RootKind.ThreadStack);

    public static HeapGraph WithoutStackRoots(HeapGraph graph)
    {
        var builder = new HeapGraphBuilder(graph.NodeCount, graph.EdgeCount);
        var typeIds = new TypeId[graph.TypeCount];
        for (int t = 0; t < typeIds.Length; t++)
            typeIds[t] = builder.AddType(graph.TypeName((TypeId)t));
        for (int v = 0; v < graph.NodeCount; v++)
            builder.AddNode(typeIds[graph.TypeOf((NodeId)v)], graph.Size((NodeId)v), graph.GenerationOf((NodeId)v), graph.Address((NodeId)v));

        var fieldIds = new Dictionary<int, int>();
        for (int v = 0; v < graph.NodeCount; v++)
        {
            ReadOnlySpan<NodeId> children = graph.Children((NodeId)v);
            ReadOnlySpan<FieldId> fields = graph.ChildFields((NodeId)v);
            for (int i = 0; i < children.Length; i++)
                builder.AddEdge((NodeId)v, children[i], (FieldId)CopyField(fields[i]));
        }
        foreach (HeapRoot root in graph.Roots)
        {
            if (root.Kind != RootKind.ThreadStack)
                builder.AddRoot(root.Kind, root.Name, root.Node);
        }
        return builder.Build(graph.Info);

        // Negative ids are the FieldIds constants (array element, dependent handle, unknown) and keep their meaning.
        int CopyField(int field)
        {
            if (field < 0)
                return field;
            if (!fieldIds.TryGetValue(field, out int copied))
                fieldIds.Add(field, copied = builder.AddField(graph.FieldName((FieldId)field)));
            return copied;
        }
    }
}
