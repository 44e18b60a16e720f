using System.Text.Json.Nodes;

namespace LeakLab.Tests.Presentation;

/// <summary>Lifetime figures on hand-built data: allocated against surviving bytes, age mix across snapshots, allocation rate.</summary>
public class LifetimeChartTests
{
    private static List<JsonObject> Traces(PlotlyFigure fig) => [.. JsonNode.Parse(fig.ToJson())!["data"]!.AsArray().Select(t => t!.AsObject())];

    [Fact]
    public void AllocatedAndSurvivingBytesAreTwoBarsPerTypeWithNamesEscaped()
    {
        PlotlyFigure fig = LifetimeCharts.AllocationsVsSurvivors(
            [("App.<>c__DisplayClass0_0", 4_000_000, 3_900_000), ("System.String", 9_000_000, -20_000)]);
        var traces = Traces(fig);
        Assert.Equal(2, traces.Count);
        Assert.All(traces, t => Assert.Equal(["App.&lt;&gt;c__DisplayClass0_0", "System.String"], t["y"]!.AsArray().Select(v => (string)v!)));
        Assert.Equal([4_000_000L, 9_000_000], traces[0]["x"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal([3_900_000L, -20_000], traces[1]["x"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal("group", (string?)fig.Layout["barmode"]);
    }

    [Fact]
    public void AgeMixGroupsEachTypesSnapshotsAndStacksTheirGenerations()
    {
        HeapGraph Snapshot(int gen0, int gen2)
        {
            var b = new HeapGraphBuilder();
            for (int i = 0; i < gen0; i++) b.AddNode("Order", 100, Generation.Gen0);
            for (int i = 0; i < gen2; i++) b.AddNode("Order", 100, Generation.Gen2);
            b.AddNode("System.String", 30, Generation.Gen0);
            return b.Build(SnapshotInfo.HandBuilt("s"));
        }
        PlotlyFigure fig = LifetimeCharts.AgeMix(["s1", "s2", "s3"], [Snapshot(5, 1), Snapshot(5, 4), Snapshot(2, 9)], top: 2);
        var traces = Traces(fig);
        Assert.Equal(["gen0", "gen2"], traces.Select(t => (string)t["name"]!)); // generations with no bytes are left out
        JsonArray x = traces[0]["x"]!.AsArray();
        Assert.Equal(["Order", "Order", "Order", "System.String", "System.String", "System.String"], x[0]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["s1", "s2", "s3", "s1", "s2", "s3"], x[1]!.AsArray().Select(v => (string)v!));
        Assert.Equal([500L, 500, 200, 30, 30, 30], traces[0]["y"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal([100L, 400, 900, 0, 0, 0], traces[1]["y"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal("multicategory", (string?)fig.Layout["xaxis"]!["type"]);
        Assert.Throws<ArgumentException>(() => LifetimeCharts.AgeMix(["s1"], [], 2));
    }

    [Fact]
    public void TheTimelineGetsAThirdPanelForTheAllocationRate()
    {
        PlotlyFigure fig = GcCharts.Timeline([1.0], [[1, 2, 3, 4, 5]], [2.0], [2], [(1.0, 1_000_000.0), (2.0, 3_000_000.0)]);
        var rate = Traces(fig).Single(t => (string?)t["name"] == "allocation rate");
        Assert.Equal(("x3", "y3"), ((string)rate["xaxis"]!, (string)rate["yaxis"]!));
        Assert.Equal([1_000_000.0, 3_000_000.0], rate["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(3, fig.Layout["grid"]!["rows"]!.GetValue<int>());
    }
}
