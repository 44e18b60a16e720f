namespace LeakLab.Tests.Graph;

/// <summary>
/// A counted heap walk adds each node with its references in one pass (<c>AddEdgeAhead</c>): references to nodes
/// added later give the same graph as adding every node first, and one to a node never added fails the build.
/// </summary>
public sealed class HeapGraphBuilderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Edges_ahead_give_the_graph_of_nodes_first(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(2, 300);
        var edges = Enumerable.Range(0, n)
            .Select(_ => Enumerable.Range(0, random.Next(4)).Select(_ => (Target: random.Next(n), Field: random.Next(3))).ToArray())
            .ToArray();

        var nodesFirst = new HeapGraphBuilder(n, 16);
        var ahead = new HeapGraphBuilder(n, 16);
        foreach (HeapGraphBuilder b in new[] { nodesFirst, ahead })
        {
            b.AddType("A");
            b.AddType("B");
            foreach (string f in new[] { "f0", "f1", "f2" })
                b.AddField(f);
        }
        for (int v = 0; v < n; v++)
            nodesFirst.AddNode((TypeId)(v % 2), 24 + v, Generation.Gen1, 0x1000 + (ulong)v * 0x20);
        for (int v = 0; v < n; v++)
        {
            foreach ((int target, int field) in edges[v])
                nodesFirst.AddEdge((NodeId)v, (NodeId)target, (FieldId)field);
        }
        for (int v = 0; v < n; v++)
        {
            ahead.AddNode((TypeId)(v % 2), 24 + v, Generation.Gen1, 0x1000 + (ulong)v * 0x20);
            foreach ((int target, int field) in edges[v])
                ahead.AddEdgeAhead((NodeId)v, (NodeId)target, (FieldId)field);
        }

        HeapGraph expected = nodesFirst.Build(), actual = ahead.Build();
        Assert.Equal(expected.EdgeStart.Span.ToArray(), actual.EdgeStart.Span.ToArray());
        Assert.Equal(expected.EdgeTargets.Span.ToArray(), actual.EdgeTargets.Span.ToArray());
        Assert.Equal(expected.EdgeFields.Span.ToArray(), actual.EdgeFields.Span.ToArray());
        Assert.Equal(expected.NodeTypes.Span.ToArray(), actual.NodeTypes.Span.ToArray());
    }

    [Fact]
    public void An_edge_to_a_node_never_added_fails_the_build()
    {
        var b = new HeapGraphBuilder(4, 4);
        TypeId t = b.AddType("A");
        b.AddNode(t, 24);
        b.AddEdgeAhead((NodeId)0, (NodeId)1, FieldId.Unknown); // fine so far: node 1 may come
        Assert.Throws<InvalidOperationException>(() => b.Build());
        b.AddNode(t, 24);
        Assert.Equal(2, b.Build().NodeCount); // a failed Build leaves the builder usable
    }
}
