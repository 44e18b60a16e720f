namespace LeakLab;

/// <summary>
/// The order in which roots claim objects: the most telling name first.
/// </summary>
/// <remarks>
/// On .NET 10 statics also arrive as one strong handle to the runtime's statics <c>object[]</c>
/// (feasibility.md §3). Seeding static fields first makes an object reachable from both the field and
/// that handle belong to the field, so paths and retained sizes name <c>Type.Field</c>, not the handle.
/// </remarks>
internal static class RootPriority
{
    internal static int Rank(RootKind kind) => kind switch
    {
        RootKind.StaticField => 0,
        RootKind.ThreadStaticField => 1,
        RootKind.ThreadStack => 2,
        RootKind.StrongHandle or RootKind.PinnedHandle or RootKind.OtherHandle => 3,
        RootKind.FinalizerQueue => 4,
        _ => 5,
    };

    /// <summary>Indexes into <see cref="HeapGraph.Roots"/>, by rank, stable within a rank.</summary>
    internal static int[] Ordered(HeapGraph graph)
    {
        var roots = graph.Roots;
        var order = new int[roots.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        // Array.Sort is not stable, so the index breaks ties.
        Array.Sort(order, (a, b) =>
        {
            int c = Rank(roots[a].Kind).CompareTo(Rank(roots[b].Kind));
            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }
}
