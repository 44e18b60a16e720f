using Xunit;

namespace LeakLab.Tests.Analysis;

public class SnapshotSumsTests
{
    /// <summary>
    /// Snapshot s (captured s minutes after a start): static App.Cache -> Dictionary -> Entry[] -> (2 + 3s) App.Leak,
    /// a thread-stack root and a static root with one name (kinds tie on name), and two type ids both named App.Twin
    /// (a loader that did not intern) whose order of appearance differs between snapshots.
    /// </summary>
    private static HeapAnalysis Snapshot(int s)
    {
        var start = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        var b = new HeapGraphBuilder();
        NodeId holder = b.AddNode("Dictionary<System.String, App.Leak>", 48);
        NodeId array = b.AddNode("Dictionary<System.String, App.Leak>+Entry[]", 32 + 8L * (2 + 3 * s));
        b.AddEdge(holder, array, "_entries");
        for (int i = 0; i < 2 + 3 * s; i++)
            b.AddEdge(array, b.AddNode("App.Leak", 200), (FieldId)FieldIds.ArrayElement);
        b.AddRoot(RootKind.StaticField, "App.Cache", holder);
        NodeId frame = b.AddNode(s % 2 == 0 ? "App.Twin" : "App.Frame", 40);
        b.AddEdge(frame, b.AddNode(s % 2 == 0 ? "App.Frame" : "App.Twin", 24 + s), "_next");
        b.AddRoot(RootKind.ThreadStack, "App.Same", frame);
        b.AddRoot(RootKind.StaticField, "App.Same", b.AddNode("App.Twin", 16));
        if (s == 0)
            b.AddRoot(RootKind.StaticField, "App.Old", b.AddNode("App.Old", 16));
        return new HeapAnalysis(b.Build(new SnapshotInfo { SourceKind = "test", ProcessId = 9, CapturedAt = start.AddMinutes(s) }));
    }

    /// <summary>
    /// Reduced out of order (as the diff pipeline may finish them) and merged by capture time, the snapshots give the
    /// comparison of the whole analyses, byte for byte: merging in reduction order would put the series in the wrong
    /// slots and break the ties between equal rows differently.
    /// </summary>
    [Fact]
    public void Sums_reduced_in_any_order_compare_as_the_analyses_do()
    {
        int[] given = [2, 0, 3, 1];
        string expected = JsonReport.Diff(SnapshotComparison.CompareInCaptureOrder([.. given.Select(Snapshot)]));
        SnapshotSums[] sums = [.. given.Select(s => SnapshotSums.Of(Snapshot(s), CancellationToken.None))];

        string merged = JsonReport.Diff(SnapshotComparison.CompareInCaptureOrder(sums));

        Assert.Equal(expected, merged);
        Assert.Contains("App.Leak", merged, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2, 3], sums.Select(s => s.Info.CapturedAt!.Value.Minute).Order());
    }

    /// <summary>Paths and shapes computed beside the dominators (what diff does) give the same sums as in turn.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Side_by_side_reduction_equals_the_sequential_one(int seed)
    {
        for (int k = 0; k < 25; k++)
        {
            HeapGraph graph = TestGraphs.Random(seed * 25 + k);
            SnapshotSums[] inTurn = [SnapshotSums.Of(new HeapAnalysis(graph), CancellationToken.None)];
            SnapshotSums[] beside = [SnapshotSums.Of(new HeapAnalysis(graph), CancellationToken.None, sideBySide: true)];
            Assert.Equal(JsonReport.Diff(SnapshotComparison.CompareInCaptureOrder([.. inTurn, .. inTurn])),
                JsonReport.Diff(SnapshotComparison.CompareInCaptureOrder([.. beside, .. beside])));
        }
    }

    [Fact]
    public void A_cancelled_side_by_side_reduction_stops_both_sides()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SnapshotSums.Of(new HeapAnalysis(TestGraphs.Random(4)), cancel.Token, sideBySide: true));
    }
}
