using Xunit;

namespace LeakLab.Tests.Analysis;

public class TypeStatisticsTests
{
    private static HeapGraph Sample()
    {
        var b = new HeapGraphBuilder();
        NodeId list = b.AddNode("App.Node", 10), l2 = b.AddNode("App.Node", 10), data = b.AddNode("System.Byte[]", 500);
        NodeId str = b.AddNode("System.String", 30), dead = b.AddNode("System.String", 70);
        b.AddEdge(list, l2, "next"); b.AddEdge(l2, data, "data"); b.AddEdge(l2, str, "name");
        b.AddRoot(RootKind.StaticField, "App.Head", list);
        _ = dead;
        return b.Build();
    }

    [Fact]
    public void Counts_bytes_sorted_by_bytes_with_filter()
    {
        var g = Sample();
        var rows = TypeStatistics.Compute(g);
        Assert.Equal([("System.Byte[]", 1L, 500L), ("System.String", 2L, 100L), ("App.Node", 2L, 20L)], rows.Select(r => (r.Type, r.Count, r.Bytes)));
        Assert.All(rows, r => Assert.Null(r.Retained));
        Assert.Equal(["System.Byte[]", "System.String"], TypeStatistics.Compute(g, "system.").Select(r => r.Type));
        Assert.Empty(TypeStatistics.Compute(g, "nothing"));
    }

    [Fact]
    public void Retained_comes_from_the_dominator_tree()
    {
        var g = Sample();
        var d = DominatorTree.Compute(g);
        var rows = TypeStatistics.Compute(g, null, d).ToDictionary(r => r.Type);
        Assert.Equal(550, rows["App.Node"].Retained); // the outer node retains the inner one: counted once
        Assert.Equal(30, rows["System.String"].Retained); // the unreachable string retains nothing
        Assert.Throws<ArgumentException>(() => TypeStatistics.Compute(Sample(), null, d));
        Assert.Equal(550, new HeapAnalysis(g).TypeStats("Node", withRetained: true).Single().Retained);
    }
}
