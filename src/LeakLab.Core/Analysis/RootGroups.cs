namespace LeakLab.Core.Analysis;

/// <summary>
/// The name under which a root is grouped when paths and snapshots are compared. Handles are named by their
/// address, so a thousand leaked <c>GCHandle</c>s would be a thousand shapes and a thousand roots of one object
/// each, none of them growing; grouped by kind and the type they hold ("strong handle → MyApp.Channel"), they are
/// one shape and one root whose count grows. Every other root keeps its own name.
/// </summary>
internal static class RootGroups
{
    public static string NameOf(HeapGraph graph, HeapRoot root)
    {
        if (root.Kind is not (RootKind.StrongHandle or RootKind.PinnedHandle or RootKind.OtherHandle))
            return root.Name;
        int address = root.Name.LastIndexOf(" 0x", StringComparison.Ordinal);
        string label = address > 0 ? root.Name[..address] : root.Name;
        return $"{label} → {graph.NodeTypeName(root.Node)}";
    }
}
