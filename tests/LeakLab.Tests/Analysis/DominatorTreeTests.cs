using Xunit;

namespace LeakLab.Tests.Analysis;

public class DominatorTreeTests
{
    [Fact]
    public void Diamond_join_is_dominated_by_the_fork()
    {
        var b = new HeapGraphBuilder();
        NodeId a = b.AddNode("A", 10), l = b.AddNode("L", 20), r = b.AddNode("R", 30), j = b.AddNode("J", 40);
        b.AddEdge(a, l, "left"); b.AddEdge(a, r, "right"); b.AddEdge(l, j, "next"); b.AddEdge(r, j, "next");
        b.AddRoot(RootKind.StaticField, "P.Root", a);
        var d = DominatorTree.Compute(b.Build());

        Assert.Equal(DominatorTree.VirtualRoot, d.ImmediateDominator(a));
        Assert.Equal(a, d.ImmediateDominator(l));
        Assert.Equal(a, d.ImmediateDominator(r));
        Assert.Equal(a, d.ImmediateDominator(j));
        Assert.Equal(100, d.RetainedSize(a));
        Assert.Equal(4, d.RetainedCount(a));
        Assert.Equal(20, d.RetainedSize(l)); // the join survives losing one side
        Assert.Equal(40, d.RetainedSize(j));
        Assert.Equal([a], d.DominatorChain(j));
        Assert.Equal((100L, 4L), d.RetainedByRoot((RootId)(0)));
    }

    [Fact]
    public void Chain_retains_its_tail_and_cycle_through_root_does_not_double_count()
    {
        var b = new HeapGraphBuilder();
        NodeId x = b.AddNode("X", 1), y = b.AddNode("Y", 2), z = b.AddNode("Z", 4);
        b.AddEdge(x, y, "next"); b.AddEdge(y, z, "next"); b.AddEdge(z, x, "back"); // cycle back to the root's object
        b.AddRoot(RootKind.ThreadStack, "thread #1", x);
        var d = DominatorTree.Compute(b.Build());

        Assert.Equal([7L, 6L, 4L], new[] { x, y, z }.Select(d.RetainedSize));
        Assert.Equal([y, x], d.DominatorChain(z));
        Assert.Equal(DominatorTree.VirtualRoot, d.ImmediateDominator(x));
    }

    [Fact]
    public void Unreachable_island_is_counted_apart()
    {
        var b = new HeapGraphBuilder();
        NodeId live = b.AddNode("Live", 8), i1 = b.AddNode("Dead", 16), i2 = b.AddNode("Dead", 32);
        b.AddEdge(i1, i2, "f"); b.AddEdge(i2, i1, "g"); b.AddEdge(i1, live, "h");
        b.AddRoot(RootKind.StrongHandle, "handle", live);
        var d = DominatorTree.Compute(b.Build());

        Assert.Equal(DominatorTree.Unreachable, d.ImmediateDominator(i1));
        Assert.False(d.IsReachable(i2));
        Assert.Equal(0, d.RetainedSize(i1));
        Assert.Equal(2, d.UnreachableCount);
        Assert.Equal(48, d.UnreachableBytes);
        Assert.Empty(d.DominatorChain(i2));
        Assert.Equal([live], d.TopObjects(10));
    }

    [Fact]
    public void Static_field_claims_what_the_statics_array_also_reaches()
    {
        // .NET 10: statics sit in one object[] held by a strong handle, and LeakLab also names each field as a root.
        var b = new HeapGraphBuilder();
        NodeId statics = b.AddNode("System.Object[]", 100), cache = b.AddNode("Cache", 50), entry = b.AddNode("Entry", 1000);
        NodeId other = b.AddNode("Other", 7);
        b.AddEdge(statics, cache, (FieldId)FieldIds.ArrayElement); b.AddEdge(statics, other, (FieldId)FieldIds.ArrayElement);
        b.AddEdge(cache, entry, "_entries");
        b.AddRoot(RootKind.StrongHandle, "strong handle 0x10", statics);
        b.AddRoot(RootKind.StaticField, "App.Cache", cache);
        b.AddRoot(RootKind.StaticField, "App.CacheAlias", cache); // a second field on the same object gets nothing
        var d = DominatorTree.Compute(b.Build());

        Assert.Equal((107L, 2L), d.RetainedByRoot((RootId)(0)));
        Assert.Equal((1050L, 2L), d.RetainedByRoot((RootId)(1)));
        Assert.Equal((0L, 0L), d.RetainedByRoot((RootId)(2)));
    }

    [Fact]
    public void Type_retained_size_does_not_count_nested_instances_twice()
    {
        var b = new HeapGraphBuilder();
        NodeId n1 = b.AddNode("Node", 10), n2 = b.AddNode("Node", 10), n3 = b.AddNode("Node", 10), data = b.AddNode("Data", 100);
        NodeId lone = b.AddNode("Node", 5);
        b.AddEdge(n1, n2, "next"); b.AddEdge(n2, n3, "next"); b.AddEdge(n3, data, "value");
        b.AddRoot(RootKind.StaticField, "List.Head", n1);
        b.AddRoot(RootKind.StaticField, "Lone", lone);
        var g = b.Build();
        var d = DominatorTree.Compute(g);

        Assert.Equal(135, d.RetainedSizeOfType(g.TypeOf(n1)));
        Assert.Equal(100, d.RetainedSizeOfType(g.TypeOf(data)));
        Assert.Equal([n1, n2, n3, data], d.TopObjects(4));
    }

    [Fact]
    public void Deep_linked_list_does_not_overflow_the_stack()
    {
        const int length = 300_000;
        var b = new HeapGraphBuilder(length, length);
        TypeId type = b.AddType("Link");
        for (int i = 0; i < length; i++)
            b.AddNode(type, 24);
        for (int i = 0; i + 1 < length; i++)
            b.AddEdge((NodeId)i, (NodeId)(i + 1), (FieldId)FieldIds.Unknown);
        b.AddEdge((NodeId)(length - 1), (NodeId)(length / 2), (FieldId)FieldIds.Unknown); // a back edge deep down exercises path compression
        b.AddRoot(RootKind.StaticField, "Head", (NodeId)(0));
        var d = DominatorTree.Compute(b.Build());

        Assert.Equal(24L * length, d.RetainedSize((NodeId)(0)));
        Assert.Equal(length - 2, d.ImmediateDominator((NodeId)(length - 1)));
        Assert.Equal(length - 1, d.DominatorChain((NodeId)(length - 1)).Count);
    }

    [Fact]
    public void Matches_brute_force_on_thousands_of_random_graphs()
    {
        for (int seed = 0; seed < 4000; seed++)
        {
            var g = TestGraphs.Random(seed);
            var d = DominatorTree.Compute(g);
            int n = g.NodeCount;
            var reach = TestGraphs.Reach(g);

            // dominated[x] = what becomes unreachable when x is removed (x included).
            var dominated = new bool[n][];
            var dominatedCount = new int[n];
            for (int x = 0; x < n; x++)
            {
                var without = TestGraphs.Reach(g, x);
                dominated[x] = new bool[n];
                for (int y = 0; y < n; y++)
                {
                    dominated[x][y] = reach[y] && !without[y];
                    dominatedCount[x] += dominated[x][y] ? 1 : 0;
                }
            }

            long unreachableBytes = 0;
            for (int y = 0; y < n; y++)
            {
                string where = $"seed {seed}, node {y} of {n}";
                if (!reach[y])
                {
                    unreachableBytes += g.Size((NodeId)y);
                    Assert.True(DominatorTree.Unreachable == d.ImmediateDominator((NodeId)y), where);
                    Assert.True(0 == d.RetainedSize((NodeId)y), where);
                    continue;
                }
                long bytes = 0, count = 0;
                for (int z = 0; z < n; z++)
                {
                    if (dominated[y][z]) { bytes += g.Size((NodeId)z); count++; }
                }
                Assert.True(bytes == d.RetainedSize((NodeId)y), $"{where}: retained {d.RetainedSize((NodeId)y)}, brute force {bytes}");
                Assert.True(count == d.RetainedCount((NodeId)y), where);

                // The immediate dominator is the strict dominator that dominates the fewest objects.
                int expected = DominatorTree.VirtualRoot;
                int best = int.MaxValue;
                for (int x = 0; x < n; x++)
                {
                    if (x != y && dominated[x][y] && dominatedCount[x] < best) { best = dominatedCount[x]; expected = x; }
                }
                Assert.True(expected == d.ImmediateDominator((NodeId)y), $"{where}: idom {d.ImmediateDominator((NodeId)y)}, brute force {expected}");
            }
            Assert.Equal(n - reach.Count(r => r), d.UnreachableCount);
            Assert.Equal(unreachableBytes, d.UnreachableBytes);

            for (int t = 0; t < g.TypeCount; t++)
            {
                long expected = 0;
                for (int x = 0; x < n; x++)
                {
                    if (!reach[x] || g.TypeOf((NodeId)x) != t)
                        continue;
                    bool nested = false;
                    for (int o = 0; o < n && !nested; o++)
                        nested = o != x && g.TypeOf((NodeId)o) == t && dominated[o][x];
                    if (!nested)
                        expected += d.RetainedSize((NodeId)x);
                }
                Assert.True(expected == d.RetainedSizeOfType((TypeId)t), $"seed {seed}, type {t}");
            }

            // Roots: the tops of the dominator tree (only the virtual root dominates them) partition the reachable
            // heap; each goes, with its whole subtree, to the root the lasting-root rule attributes it to.
            var owners = ShortestPaths.Compute(g);
            var expectedRoots = new (long, long)[g.Roots.Count];
            for (int y = 0; y < n; y++)
            {
                bool top = reach[y] && Enumerable.Range(0, n).All(x => x == y || !dominated[x][y]);
                if (!top)
                    continue;
                int r = g.Roots.ToList().IndexOf(owners.RootOf((NodeId)y)!.Value); // equal roots: the first claims
                expectedRoots[r] = (expectedRoots[r].Item1 + d.RetainedSize((NodeId)y), expectedRoots[r].Item2 + d.RetainedCount((NodeId)y));
            }
            for (int r = 0; r < g.Roots.Count; r++)
                Assert.True(expectedRoots[r] == d.RetainedByRoot((RootId)r), $"seed {seed}, root {r}");
            Assert.Equal(reach.Count(x => x), Enumerable.Range(0, g.Roots.Count).Sum(r => d.RetainedByRoot((RootId)r).Count));
        }
    }
}
