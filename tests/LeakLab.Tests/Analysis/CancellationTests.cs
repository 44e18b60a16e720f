using Xunit;

namespace LeakLab.Tests.Analysis;

public class CancellationTests
{
    private static HeapGraph Graph()
    {
        var b = new HeapGraphBuilder();
        NodeId a = b.AddNode("A", 10), c = b.AddNode("C", 20), d = b.AddNode("D", 30);
        b.AddEdge(a, c, "c"); b.AddEdge(c, d, "d"); b.AddEdge(a, d, "d");
        b.AddRoot(RootKind.StaticField, "P.Root", a);
        b.AddRoot(RootKind.ThreadStack, "thread #1", c);
        return b.Build();
    }

    private static CancellationToken Cancelled() => new(canceled: true);

    [Fact]
    public void Every_analysis_stops_on_a_cancelled_token()
    {
        HeapGraph graph = Graph();
        Assert.Throws<OperationCanceledException>(() => DominatorTree.Compute(graph, Cancelled()));
        Assert.Throws<OperationCanceledException>(() => ShortestPaths.Compute(graph, Cancelled()));
        Assert.Throws<OperationCanceledException>(() => TypeStatistics.Compute(graph, cancellationToken: Cancelled()));
        ShortestPaths paths = ShortestPaths.Compute(graph);
        Assert.Throws<OperationCanceledException>(() => paths.PathsToType("D", cancellationToken: Cancelled()));
        Assert.Throws<OperationCanceledException>(() => paths.FurtherPathsToType("D", cancellationToken: Cancelled()));
        Assert.Throws<OperationCanceledException>(() =>
            SnapshotComparison.Compare([new HeapAnalysis(Graph()), new HeapAnalysis(Graph())], Cancelled()));
    }

    [Fact]
    public void A_cancelled_computation_is_not_kept_and_the_next_call_computes_it()
    {
        var analysis = new HeapAnalysis(Graph());
        Assert.Throws<OperationCanceledException>(() => analysis.GetDominators(Cancelled()));
        Assert.False(analysis.HasDominators);
        Assert.Throws<OperationCanceledException>(() => analysis.GetPaths(Cancelled()));

        Assert.Equal(10, analysis.GetDominators().RetainedSize((NodeId)(0))); // the stack root also holds C, so A keeps only itself
        Assert.True(analysis.HasDominators);
        Assert.Single(analysis.Paths.PathsToType("D"));
        // A finished analysis is kept: a cancelled token no longer matters.
        Assert.Same(analysis.Dominators, analysis.GetDominators(Cancelled()));
    }
}
