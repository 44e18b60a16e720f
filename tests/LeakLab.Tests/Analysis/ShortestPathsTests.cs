using Xunit;

namespace LeakLab.Tests.Analysis;

public class ShortestPathsTests
{
    [Fact]
    public void Path_starts_at_the_static_field_not_at_the_statics_array_handle()
    {
        var b = new HeapGraphBuilder();
        NodeId statics = b.AddNode("System.Object[]", 64), dict = b.AddNode("Dictionary<System.String, System.Byte[]>", 80);
        NodeId entries = b.AddNode("Dictionary<System.String, System.Byte[]>+Entry[]", 400);
        NodeId bytes1 = b.AddNode("System.Byte[]", 1000), bytes2 = b.AddNode("System.Byte[]", 1000);
        b.AddEdge(statics, dict, (FieldId)FieldIds.ArrayElement);
        b.AddEdge(dict, entries, "_entries");
        b.AddEdge(entries, bytes1, (FieldId)FieldIds.ArrayElement);
        b.AddEdge(entries, bytes2, (FieldId)FieldIds.ArrayElement);
        b.AddRoot(RootKind.StrongHandle, "strong handle 0x7f00", statics); // listed first, still loses
        b.AddRoot(RootKind.StaticField, "LeakyCache.Cache", dict);
        var paths = ShortestPaths.Compute(b.Build());

        var grouped = paths.PathsToType("System.Byte[]");
        var path = Assert.Single(grouped);
        Assert.Equal(RootKind.StaticField, path.RootKind);
        Assert.Equal("LeakyCache.Cache", path.RootName);
        Assert.Equal(2, path.Count);
        Assert.Equal(
            [("Dictionary<System.String, System.Byte[]>", (string?)null), ("Dictionary<System.String, System.Byte[]>+Entry[]", "_entries"), ("System.Byte[]", "[]")],
            path.Steps.Select(s => (s.Type, s.Field)));
        Assert.Equal([dict, entries, bytes1], paths.PathTo(bytes1));
        Assert.Equal("LeakyCache.Cache", paths.RootOf(bytes2)?.Name);
        // An EventPipe-style (reflection) name finds the canonical type exactly, not every Dictionary by substring.
        var byReflectionName = Assert.Single(paths.PathsToType("Dictionary`2[System.String,System.Byte[]]"));
        Assert.Equal(("Dictionary<System.String, System.Byte[]>", 1), (byReflectionName.Steps[^1].Type, byReflectionName.Count));
    }

    [Fact]
    public void Among_equally_short_paths_the_better_named_root_wins()
    {
        var b = new HeapGraphBuilder();
        NodeId frame = b.AddNode("Worker", 10), holder = b.AddNode("Holder", 10), shared = b.AddNode("Shared", 10), deep = b.AddNode("Deep", 10);
        NodeId handle = b.AddNode("Pinned", 10);
        b.AddEdge(frame, shared, "local"); b.AddEdge(holder, shared, "field"); b.AddEdge(handle, shared, "ref"); b.AddEdge(shared, deep, "child");
        b.AddRoot(RootKind.ThreadStack, "thread #1 in Worker.Run", frame);
        b.AddRoot(RootKind.PinnedHandle, "pinned handle 0x10", handle);
        b.AddRoot(RootKind.Other, "other", deep);
        b.AddRoot(RootKind.StaticField, "App.Holder", holder);
        var paths = ShortestPaths.Compute(b.Build());

        Assert.Equal("App.Holder", paths.RootOf(shared)?.Name);
        Assert.Equal([holder, shared], paths.PathTo(shared));
        // A root of a later tier names an object a lasting root reaches: the lasting root's path wins.
        Assert.Equal([holder, shared, deep], paths.PathTo(deep));
    }

    /// <summary>
    /// Issue 8: a static owns a doubly linked list (a token source's callback registrations) and a stack frame holds
    /// the newest node, one hop from the whole list. The static wins, its share is the whole list, and the stack's
    /// path is shown after it as a further shape.
    /// </summary>
    [Fact]
    public void The_lasting_root_wins_over_a_shorter_path_from_a_stack_frame()
    {
        var b = new HeapGraphBuilder();
        NodeId cts = b.AddNode("System.Threading.CancellationTokenSource", 48);
        NodeId registrations = b.AddNode("System.Threading.CancellationTokenSource+Registrations", 40);
        NodeId local = b.AddNode("System.Threading.CancellationTokenSource+Linked1CancellationTokenSource", 56);
        b.AddEdge(cts, registrations, "_registrations");
        const int length = 50;
        var nodes = Enumerable.Range(0, length).Select(_ => b.AddNode("System.Threading.CancellationTokenSource+CallbackNode", 64)).ToArray();
        var scopes = Enumerable.Range(0, length).Select(_ => b.AddNode("Requests.RequestScope", 280)).ToArray();
        b.AddEdge(registrations, nodes[0], "Callbacks");
        for (int i = 0; i < length; i++)
        {
            if (i + 1 < length)
                b.AddEdge(nodes[i], nodes[i + 1], "Next");
            if (i > 0)
                b.AddEdge(nodes[i], nodes[i - 1], "Prev");
            b.AddEdge(nodes[i], scopes[i], "CallbackState");
        }
        b.AddEdge(local, nodes[0], "_reg1._node"); // the newest registration heads the list
        b.AddRoot(RootKind.ThreadStack, "thread 1: Requests.Program.Main", local);
        b.AddRoot(RootKind.StaticField, "Requests.Program.s_shutdown", cts);
        var g = b.Build();
        var analysis = new HeapAnalysis(g);

        var found = analysis.Paths.PathsToType("Requests.RequestScope").Concat(analysis.Paths.FurtherPathsToType("Requests.RequestScope")).ToList();
        // Two shapes from each root: the list's first node, and the rest through .Next.
        var attributed = found.Where(p => !p.IsFurther).ToList();
        var further = found.Where(p => p.IsFurther).ToList();
        Assert.Equal(found.Take(attributed.Count), attributed); // attributed shapes first
        Assert.All(attributed, p => Assert.Equal("Requests.Program.s_shutdown", p.RootName));
        Assert.Equal(length, attributed.Sum(p => p.Count));
        Assert.Equal(length - 1, attributed[0].Count);
        Assert.Equal(".Next System.Threading.CancellationTokenSource+CallbackNode", attributed[0].Steps[3] is { } s ? $".{s.Field} {s.Type}" : "");
        Assert.All(further, p => Assert.Equal(RootKind.ThreadStack, p.RootKind));
        Assert.Equal(length, further.Sum(p => p.Count));

        // Shares: the static gets the list and everything on it; the frame only its own object.
        long listBytes = g.Size(cts) + g.Size(registrations) + nodes.Sum(g.Size) + scopes.Sum(g.Size);
        Assert.Equal((listBytes, 2L + 2 * length), analysis.Dominators.RetainedByRoot((RootId)(1)));
        Assert.Equal((g.Size(local), 1L), analysis.Dominators.RetainedByRoot((RootId)(0)));
    }

    [Fact]
    public void Runs_of_a_linked_list_collapse_and_group_whatever_their_length()
    {
        var b = new HeapGraphBuilder();
        NodeId queue = b.AddNode("System.Threading.TimerQueue", 32);
        FieldId next = b.AddField("_next");
        int Chain(int length, int owner)
        {
            NodeId first = b.AddNode("System.Threading.TimerQueueTimer", 64), last = first;
            for (int i = 1; i < length; i++)
            {
                NodeId t = b.AddNode("System.Threading.TimerQueueTimer", 64);
                b.AddEdge(last, t, next);
                last = t;
            }
            b.AddEdge(last, (NodeId)owner, "_state");
            return first;
        }
        NodeId ownerLong = b.AddNode("Leaky.Owner", 24), ownerShort = b.AddNode("Leaky.Owner", 24);
        b.AddEdge(queue, (NodeId)(Chain(1480, ownerLong)), "_shortTimers");
        NodeId queue2 = b.AddNode("System.Threading.TimerQueue", 32);
        b.AddEdge(queue2, (NodeId)(Chain(3, ownerShort)), "_shortTimers");
        b.AddRoot(RootKind.StaticField, "System.Threading.TimerQueue.Instances", queue);
        b.AddRoot(RootKind.StaticField, "System.Threading.TimerQueue.Instances", queue2);
        var g = b.Build();
        var paths = ShortestPaths.Compute(g);

        var path = Assert.Single(paths.PathsToType("Leaky.Owner"));
        Assert.Equal(2, path.Count);
        Assert.Equal(
            [("System.Threading.TimerQueue", (string?)null), ("System.Threading.TimerQueueTimer", "_shortTimers"), ("System.Threading.TimerQueueTimer", "_next"), ("Leaky.Owner", "_state")],
            path.Steps.Select(s => (s.Type, s.Field)));
        // Each group shows the run lengths of its example object; each object's own path keeps its own.
        Assert.Equal(path.ExampleAddress == g.Address(ownerLong) ? 1479 : 2, path.Steps[2].Repeat);
        Assert.Equal(1479, paths.PathsToAddress(g.Address(ownerLong)).Single().Steps[2].Repeat);
        Assert.Equal(2, paths.PathsToAddress(g.Address(ownerShort)).Single().Steps[2].Repeat);
        Assert.Equal(1, path.Steps[1].Repeat);
        Assert.Contains("._next System.Threading.TimerQueueTimer ×1,479", paths.PathsToAddress(g.Address(ownerLong)).Single().Shape);
    }

    [Fact]
    public void Type_pattern_prefers_the_exact_name_then_falls_back_to_substring()
    {
        var b = new HeapGraphBuilder();
        NodeId foo = b.AddNode("App.Foo", 8), fooBar = b.AddNode("App.FooBar", 8);
        b.AddRoot(RootKind.StaticField, "App.A", foo);
        b.AddRoot(RootKind.StaticField, "App.B", fooBar);
        var paths = ShortestPaths.Compute(b.Build());

        Assert.Equal(["App.A"], paths.PathsToType("App.Foo").Select(p => p.RootName));
        Assert.Equal(["App.A", "App.B"], paths.PathsToType("app.foo").Select(p => p.RootName).Order());
        Assert.Equal(["App.B"], paths.PathsToType("foobar").Select(p => p.RootName));
        Assert.Empty(paths.PathsToType("Nope"));
        var error = Assert.Throws<LeakLabException>(() => paths.PathsToType(" "));
        Assert.Equal(LeakLabErrorKind.BadArgument, error.Kind);
    }

    [Fact]
    public void Address_lookup_handles_unknown_and_unreachable_objects()
    {
        var b = new HeapGraphBuilder();
        NodeId live = b.AddNode("Live", 8), dead = b.AddNode("Dead", 8);
        b.AddRoot(RootKind.PinnedHandle, "pinned handle 0x1", live);
        var g = b.Build();
        var paths = ShortestPaths.Compute(g);

        Assert.Empty(paths.PathsToAddress(0xdead));
        Assert.Empty(paths.PathsToAddress(g.Address(dead)));
        Assert.Empty(paths.PathTo(dead));
        Assert.Null(paths.RootOf(dead));
        var only = Assert.Single(paths.PathsToAddress(g.Address(live)));
        Assert.Equal((1, g.Address(live), "Live"), (only.Count, only.ExampleAddress, only.Shape));
    }

    [Fact]
    public void Paths_are_shortest_and_real_on_random_graphs()
    {
        for (int seed = 0; seed < 2000; seed++)
        {
            var g = TestGraphs.Random(seed);
            var paths = ShortestPaths.Compute(g);
            var tiered = TestGraphs.TieredDistances(g);
            var rootNodes = g.Roots.Select(r => r.Node).ToHashSet();
            for (int v = 0; v < g.NodeCount; v++)
            {
                var path = paths.PathTo((NodeId)v);
                (int tier, int dist) = tiered[v];
                Assert.True(dist == path.Count - 1, $"seed {seed}, node {v}: path of {path.Count - 1} hops, distance {dist} from tier {tier}");
                Assert.Equal(dist >= 0, paths.IsReachable((NodeId)v));
                if (path.Count == 0)
                    continue;
                Assert.Contains(path[0], rootNodes);
                Assert.Equal(path[0], paths.RootOf((NodeId)v)!.Value.Node);
                Assert.Equal(tier, TestGraphs.Tier(paths.RootOf((NodeId)v)!.Value.Kind));
                for (int i = 1; i < path.Count; i++)
                    Assert.True(g.Children(path[i - 1]).Contains(path[i]), $"seed {seed}: {path[i - 1]} -> {path[i]} is not a reference");
            }
            var grouped = paths.GroupedPaths(Enumerable.Range(0, g.NodeCount).Select(v => (NodeId)v), int.MaxValue);
            Assert.DoesNotContain(grouped, p => p.IsFurther);
            Assert.Equal(tiered.Count(d => d.Distance >= 0), grouped.Sum(p => p.Count));
            Assert.True(grouped.Select(p => (p.RootKind, p.RootName, p.Shape)).Distinct().Count() == grouped.Count, $"seed {seed}: a shape is split");
        }
    }
}
