namespace LeakLab.Tests.Analysis;

/// <summary>Graph builders shared by the analysis tests: random small graphs and brute-force reachability.</summary>
internal static class TestGraphs
{
    private static readonly RootKind[] Kinds =
        [RootKind.StaticField, RootKind.StrongHandle, RootKind.ThreadStack, RootKind.PinnedHandle, RootKind.FinalizerQueue, RootKind.Other];

    /// <summary>1–40 nodes, 1–4 types, random references (self references, cycles, shared subgraphs), 0–5 roots that may share nodes.</summary>
    public static HeapGraph Random(int seed)
    {
        var rnd = new Random(seed);
        int n = rnd.Next(1, 41);
        var b = new HeapGraphBuilder();
        int typeCount = rnd.Next(1, 5);
        var types = Enumerable.Range(0, typeCount).Select(t => b.AddType($"T{t}")).ToArray();
        for (int i = 0; i < n; i++)
            b.AddNode(types[rnd.Next(typeCount)], rnd.Next(1, 200));
        int edges = rnd.Next(0, 3 * n + 1);
        for (int e = 0; e < edges; e++)
            b.AddEdge((NodeId)(rnd.Next(n)), (NodeId)(rnd.Next(n)), b.AddField($"f{rnd.Next(3)}"));
        int roots = rnd.Next(0, 6);
        for (int r = 0; r < roots; r++)
            b.AddRoot(Kinds[rnd.Next(Kinds.Length)], $"root{rnd.Next(3)}", (NodeId)(rnd.Next(n)));
        return b.Build();
    }

    /// <summary>Nodes reachable from the roots without passing through <paramref name="removed"/> (-1: none removed).</summary>
    public static bool[] Reach(HeapGraph g, int removed = -1)
    {
        var seen = new bool[g.NodeCount];
        var queue = new Queue<int>();
        foreach (var root in g.Roots)
        {
            if (root.Node != removed && !seen[root.Node])
            {
                seen[root.Node] = true;
                queue.Enqueue(root.Node);
            }
        }
        while (queue.Count > 0)
        {
            int v = queue.Dequeue();
            foreach (int t in g.Children((NodeId)v))
            {
                if (t != removed && !seen[t])
                {
                    seen[t] = true;
                    queue.Enqueue(t);
                }
            }
        }
        return seen;
    }

    /// <summary>BFS distance from the nearest root; -1 when unreachable.</summary>
    /// <summary>
    /// The lasting-root rule by brute force: per node, the first tier (lasting roots; stack frames; the rest) whose
    /// roots reach it, and the distance from that tier's roots (-1, -1 when unreachable).
    /// </summary>
    public static (int Tier, int Distance)[] TieredDistances(HeapGraph g)
    {
        var perTier = Enumerable.Range(0, 3).Select(t => Distances(g, k => Tier(k) == t)).ToArray();
        var result = new (int, int)[g.NodeCount];
        for (int v = 0; v < g.NodeCount; v++)
        {
            int t = Array.FindIndex(perTier, d => d[v] >= 0);
            result[v] = t < 0 ? (-1, -1) : (t, perTier[t][v]);
        }
        return result;
    }

    /// <summary>0 for lasting roots, 1 for stack frames, 2 for the finalizer queue and unknown roots.</summary>
    public static int Tier(RootKind kind) => kind == RootKind.ThreadStack ? 1 : kind is RootKind.FinalizerQueue or RootKind.Other ? 2 : 0;

    public static int[] Distances(HeapGraph g, Func<RootKind, bool>? fromKinds = null)
    {
        var dist = Enumerable.Repeat(-1, g.NodeCount).ToArray();
        var queue = new Queue<int>();
        foreach (var root in g.Roots.Where(r => fromKinds is null || fromKinds(r.Kind)))
        {
            if (dist[root.Node] < 0)
            {
                dist[root.Node] = 0;
                queue.Enqueue(root.Node);
            }
        }
        while (queue.Count > 0)
        {
            int v = queue.Dequeue();
            foreach (int t in g.Children((NodeId)v))
            {
                if (dist[t] < 0)
                {
                    dist[t] = dist[v] + 1;
                    queue.Enqueue(t);
                }
            }
        }
        return dist;
    }
}
