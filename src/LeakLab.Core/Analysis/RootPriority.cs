namespace LeakLab.Core.Analysis;

/// <summary>
/// Which root an object is attributed to when several reach it: <b>the lasting root wins</b>.
/// </summary>
/// <remarks>
/// The rule, used by paths, diff's growing roots and retained's per-root attribution alike:
/// <list type="number">
/// <item>Among the roots that reach an object, lasting ones (static fields, thread statics, GC handles) win over
/// short-lived ones (a thread's stack frame), which win over the finalizer queue and roots of unknown kind
/// (<see cref="Tier"/>). A local that happens to hold the latest node of a list reaches the whole list, often by a
/// shorter path than the static that owns it; the static is what keeps it alive tomorrow, so it is the answer.</item>
/// <item>Within a tier, the shortest path wins.</item>
/// <item>Among equally short paths, static fields, then thread statics, then handles (<see cref="Rank"/>), then the
/// order the source listed the roots in.</item>
/// </list>
/// Each object is attributed to exactly one root, so a root's share (objects and bytes) adds up to the reachable heap.
/// The shorter path from a short-lived root is still shown, as a further shape after the attributed ones.
/// On .NET 10 statics also arrive as one strong handle to the runtime's statics <c>object[]</c>
/// (ClrMD reports no static roots of their own);
/// ranking static fields before handles makes those objects belong to the field, not to the handle.
/// </remarks>
internal static class RootPriority
{
    /// <summary>Lasting roots: statics, thread statics, handles and roots named by inspections.</summary>
    internal const int LastingTier = 0;
    /// <summary>Stack frames: alive only while the frame runs.</summary>
    internal const int StackTier = 1;
    /// <summary>The finalizer queue and unknown roots: the last word.</summary>
    internal const int LastTier = 2;

    internal static int Tier(RootKind kind) => kind switch
    {
        RootKind.ThreadStack => StackTier,
        RootKind.FinalizerQueue or RootKind.Other => LastTier,
        _ => LastingTier,
    };

    internal static int Rank(RootKind kind) => kind switch
    {
        RootKind.StaticField => 0,
        RootKind.ThreadStaticField => 1,
        RootKind.StrongHandle or RootKind.PinnedHandle or RootKind.OtherHandle => 2,
        RootKind.Timer or RootKind.Event => 3,
        RootKind.ThreadStack => 4,
        RootKind.FinalizerQueue => 5,
        _ => 6,
    };

    /// <summary>Indexes into <see cref="HeapGraph.Roots"/>, by tier, then rank, stable within a rank.</summary>
    internal static int[] Ordered(HeapGraph graph)
    {
        var roots = graph.Roots;
        var order = new int[roots.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        // Array.Sort is not stable, so the index breaks ties.
        Array.Sort(order, (a, b) =>
        {
            int c = Tier(roots[a].Kind).CompareTo(Tier(roots[b].Kind));
            if (c == 0)
                c = Rank(roots[a].Kind).CompareTo(Rank(roots[b].Kind));
            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }
}
