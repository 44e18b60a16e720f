using Xunit;

namespace LeakLab.Tests.Analysis;

/// <summary>One rule for every id: 0 &lt;= index &lt; the graph's count of its kind, else IdOutOfRangeException.</summary>
public class IdBoundsTests
{
    private static HeapGraph Graph(out NodeId a, out NodeId c)
    {
        var b = new HeapGraphBuilder();
        a = b.AddNode("A", 10);
        c = b.AddNode("C", 20);
        b.AddEdge(a, c, "c");
        b.AddRoot(RootKind.StaticField, "P.Root", a);
        return b.Build();
    }

    public static TheoryData<int> BadIndexes => [-5, -1, 2, int.MaxValue];

    [Theory]
    [MemberData(nameof(BadIndexes))]
    public void A_node_outside_the_graph_fails_the_same_way_everywhere(int index)
    {
        HeapGraph g = Graph(out _, out _);
        var bad = (NodeId)index;
        var dominators = DominatorTree.Compute(g);
        var paths = ShortestPaths.Compute(g);
        Action[] uses =
        [
            () => g.Address(bad), () => g.TypeOf(bad), () => g.NodeTypeName(bad), () => g.Size(bad), () => g.GenerationOf(bad),
            () => g.Children(bad), () => g.ChildFields(bad),
            () => dominators.RetainedSize(bad), () => dominators.ImmediateDominator(bad), () => dominators.DominatorChain(bad),
            () => paths.PathTo(bad), () => paths.IsReachable(bad), () => paths.GroupedPaths([bad]),
        ];
        foreach (Action use in uses)
        {
            var ex = Assert.Throws<IdOutOfRangeException>(use);
            Assert.StartsWith($"Node {index} is not in this graph (2 nodes).", ex.Message);
            Assert.Equal(index, ex.ActualValue);
        }
    }

    [Fact]
    public void Types_fields_and_roots_follow_the_same_rule()
    {
        HeapGraph g = Graph(out NodeId a, out NodeId c);
        var dominators = DominatorTree.Compute(g);
        Assert.Throws<IdOutOfRangeException>(() => g.TypeName((TypeId)2));
        Assert.Throws<IdOutOfRangeException>(() => dominators.RetainedSizeOfType((TypeId)(-1)));
        Assert.Throws<IdOutOfRangeException>(() => g.FieldName((FieldId)1));
        Assert.Throws<IdOutOfRangeException>(() => g.FieldName((FieldId)(-4)));
        Assert.Throws<IdOutOfRangeException>(() => g.Root((RootId)1));
        Assert.Throws<IdOutOfRangeException>(() => dominators.RetainedByRoot((RootId)1));
        // The special field values and every id the graph made are valid.
        Assert.Equal("[]", g.FieldName(FieldId.ArrayElement));
        Assert.Equal("c", g.FieldName(g.ChildFields(a)[0]));
        Assert.Equal(c, g.Children(a)[0]);
        Assert.Equal("C", g.TypeName(g.TypeOf(c)));
        Assert.Equal(a, g.Root((RootId)0).Node);
        Assert.Equal((30L, 2L), dominators.RetainedByRoot((RootId)0));
        Assert.Equal(NodeId.None, g.FindNode(0xdead));
    }

    [Fact]
    public void The_builder_checks_ids_by_the_same_rule()
    {
        var b = new HeapGraphBuilder();
        NodeId a = b.AddNode("A", 10);
        Assert.Throws<IdOutOfRangeException>(() => b.AddEdge(a, (NodeId)1));
        Assert.Throws<IdOutOfRangeException>(() => b.AddEdge((NodeId)(-1), a));
        Assert.Throws<IdOutOfRangeException>(() => b.AddEdge(a, a, (FieldId)0));
        Assert.Throws<IdOutOfRangeException>(() => b.AddNode((TypeId)7, 8));
        Assert.Throws<IdOutOfRangeException>(() => b.AddRoot(RootKind.Other, "r", (NodeId)3));
        b.AddEdge(a, a, FieldId.Unknown);
        Assert.Equal((RootId)0, b.AddRoot(RootKind.Other, "r", a));
    }
}
