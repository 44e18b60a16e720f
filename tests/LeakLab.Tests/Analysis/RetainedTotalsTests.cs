namespace LeakLab.Tests.Analysis;

/// <summary>
/// <see cref="RetainedTotals"/> against brute-force scans of the dominator tree on random hand-built graphs: per type,
/// per root, the largest objects (ties by node, the first k of a longer answer being the answer for k) and the total.
/// </summary>
public sealed class RetainedTotalsTests
{
    [Fact]
    public void Totals_equal_brute_force_scans_on_random_graphs()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            HeapGraph g = TestGraphs.Random(seed);
            var analysis = new HeapAnalysis(g);
            DominatorTree d = analysis.Dominators;
            int[] order = Order(d);
            // Before the totals exist TopObjects scans the tree; after, it reads the stored list: both the brute-force order.
            for (int k = 1; k <= order.Length + 1; k++)
                Assert.True(order.Take(k).SequenceEqual(d.TopObjects(k).Select(v => (int)v)), $"seed {seed}, top {k} (scan)");
            long[] typeRetainedByScan = [.. Enumerable.Range(0, g.TypeCount).Select(t => d.RetainedSizeOfType((TypeId)t))];

            RetainedTotals totals = d.GetTotals();
            AssertTotals(d, analysis.Paths, totals, $"seed {seed}");
            Assert.Equal(typeRetainedByScan, totals.TypeRetained);
            for (int k = 1; k <= order.Length + 1; k++)
                Assert.True(order.Take(k).SequenceEqual(d.TopObjects(k).Select(v => (int)v)), $"seed {seed}, top {k} (stored)");
        }
    }

    [Fact]
    public void A_top_beyond_the_stored_objects_is_answered_by_a_scan()
    {
        // 1,500 objects of four sizes below one array: ties everywhere, more than the totals keep.
        var b = new HeapGraphBuilder();
        TypeId array = b.AddType("Item[]"), item = b.AddType("Item"), blob = b.AddType("Byte[]");
        NodeId list = b.AddNode(array, 12_024);
        for (int i = 0; i < 1_500; i++)
        {
            NodeId x = b.AddNode(item, 24 + 8 * (i % 4));
            b.AddEdge(list, x, FieldId.ArrayElement);
            if (i % 3 == 0)
                b.AddEdge(x, b.AddNode(blob, 100), b.AddField("_data"));
        }
        b.AddRoot(RootKind.StaticField, "Cache.s_items", list);
        var d = new HeapAnalysis(b.Build()).Dominators;
        RetainedTotals totals = d.GetTotals();
        int[] order = Order(d);

        Assert.Equal(RetainedTotals.StoredObjects, totals.Largest.Length);
        Assert.Equal(order.Take(RetainedTotals.StoredObjects), totals.Largest.Select(o => o.Node));
        Assert.Equal(order.Take(1_700), d.TopObjects(1_700).Select(v => (int)v)); // beyond the stored list: the scan
        Assert.Equal(order.Take(7), d.TopObjects(7).Select(v => (int)v));
        Assert.Equal(order.Take(1_700), totals.LargestObjects(d, 1_700).Select(o => o.Node));
    }

    /// <summary>Every reachable object by retained size descending, then node ascending.</summary>
    internal static int[] Order(DominatorTree d) =>
        [.. Enumerable.Range(0, d.Graph.NodeCount).Where(v => d.IsReachable((NodeId)v))
            .OrderByDescending(v => d.RetainedSize((NodeId)v)).ThenBy(v => v)];

    /// <summary>The totals against scans of the tree object by object.</summary>
    internal static void AssertTotals(DominatorTree d, ShortestPaths owners, RetainedTotals totals, string what)
    {
        HeapGraph g = d.Graph;
        var nodes = Enumerable.Range(0, g.NodeCount).Select(v => (NodeId)v).ToArray();
        Assert.True(nodes.Sum(v => g.Size(v)) == totals.TotalBytes, what);
        for (int t = 0; t < g.TypeCount; t++)
        {
            NodeId[] instances = [.. nodes.Where(v => d.IsReachable(v) && g.TypeOf(v) == t)];
            Assert.True(instances.Length == totals.TypeCounts[t], $"{what}, type {t} count");
            Assert.True(instances.Sum(v => g.Size(v)) == totals.TypeBytes[t], $"{what}, type {t} bytes");
            // Instances no other instance of the type dominates, each with its whole retained size.
            long retained = instances.Where(v => !d.DominatorChain(v).Any(x => g.TypeOf(x) == t)).Sum(v => d.RetainedSize(v));
            Assert.True(retained == totals.TypeRetained[t], $"{what}, type {t} retained");
        }
        for (int r = 0; r < g.Roots.Count; r++)
        {
            NodeId[] tops = [.. nodes.Where(v => d.ImmediateDominator(v) == DominatorTree.VirtualRoot && owners.RootIndex[v] == r)];
            Assert.True(tops.Sum(v => d.RetainedSize(v)) == totals.RootBytes[r], $"{what}, root {r} bytes");
            Assert.True(tops.Sum(v => d.RetainedCount(v)) == totals.RootCounts[r], $"{what}, root {r} count");
            Assert.Equal(g.Address(g.Roots[r].Node), totals.RootAddresses[r]);
            Assert.Equal((int)g.TypeOf(g.Roots[r].Node), totals.RootTypes[r]);
        }
        int[] order = Order(d);
        Assert.Equal(order.Take(RetainedTotals.StoredObjects), totals.Largest.Select(o => o.Node));
        foreach (RetainedTotals.LargeObject o in totals.Largest)
        {
            var v = (NodeId)o.Node;
            Assert.Equal(new RetainedTotals.LargeObject(v, g.TypeOf(v), g.Address(v), g.Size(v), d.RetainedSize(v), d.RetainedCount(v)), o);
        }
    }
}
