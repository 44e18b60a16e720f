using System.Text.Json.Nodes;

namespace LeakLab.Tests.Notebooks;

/// <summary><c>#!leaklab snapshot</c> and <c>#!leaklab watch</c> parsing, and the watch's GC chart on hand-built GCs.</summary>
public class LiveMagicTests
{
    private readonly MagicCommandParser _parser = new(MagicCommandRegistry.Default);

    [Fact]
    public void SnapshotNeedsExactlyOneOfPidOrName()
    {
        Assert.Equal(new SnapshotMagicCommand(42, null, "live"), _parser.Parse("#!leaklab snapshot --pid 42 --as live"));
        Assert.Equal(new SnapshotMagicCommand(null, "static-cache", null), _parser.Parse("#!leaklab snapshot --name static-cache"));
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab snapshot")).Kind);
        Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab snapshot --pid 1 --name x"));
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => _parser.Parse("#!leaklab snapshot --pid 1 --to x")).Kind);
    }

    [Fact]
    public void WatchTakesDurationIntervalSnapshotsAndTo()
    {
        Assert.Equal(new WatchMagicCommand(7, null, 30, 1, 3), _parser.Parse("#!leaklab watch --pid 7"));
        var full = Assert.IsType<WatchMagicCommand>(_parser.Parse("#!leaklab watch --name app --duration 6 --interval 2 --snapshots 0 --to w"));
        Assert.Equal(new WatchMagicCommand(null, "app", 6, 2, 0) { To = "w" }, full);
        Assert.Equal(new WatchMagicCommand(7, null, 30, 1, 3, DumpOnAlert: true), _parser.Parse("#!leaklab watch --pid 7 --dump-on-alert"));
    }

    [Theory]
    [InlineData("gc", ChartKind.Gc)]
    [InlineData("survivors", ChartKind.Survivors)]
    [InlineData("ages", ChartKind.Ages)]
    public void ChartNamesTheLifetimeCharts(string word, ChartKind kind)
    {
        Assert.Equal(new ChartMagicCommand(kind, null, 10), _parser.Parse($"#!leaklab chart {word}"));
    }

    [Fact]
    public void LifetimeChartsWithoutAWatchOrSnapshotsSayWhatToRunFirst()
    {
        using var session = new LeakLabSession();
        Assert.Contains("run `#!leaklab watch --pid N` first", Assert.Throws<LeakLabException>(() => session.Chart(ChartKind.Gc)).Message);
        Assert.Contains("needs snapshots", Assert.Throws<LeakLabException>(() => session.Chart(ChartKind.Ages)).Message);
        session.Add(TestGraphs.StaticCache(3, "a"), "a");
        session.Add(TestGraphs.StaticCache(9, "b"), "b");
        ChartResult ages = session.Chart(ChartKind.Ages, top: 3);
        Assert.Contains("System.Byte[]", ages.ToJson());
    }

    [Theory]
    [InlineData("#!leaklab watch", "exactly one of --pid or --name")]
    [InlineData("#!leaklab watch --pid 1 --duration 0", "--duration needs a positive whole number, not '0'")]
    [InlineData("#!leaklab watch --pid 1 --interval soon", "--interval needs a positive whole number, not 'soon'")]
    [InlineData("#!leaklab watch --pid 1 --snapshots -1", "--snapshots needs a whole number, 0 or more, not '-1'")]
    public void BadWatchArgumentsFailWithOneLine(string cell, string problem)
    {
        var error = Assert.Throws<LeakLabException>(() => _parser.Parse(cell));
        Assert.Equal(LeakLabErrorKind.BadArgument, error.Kind);
        Assert.Contains(problem, error.Message);
        Assert.Contains("Usage: #!leaklab watch", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TimelineStacksGenerationsAndSplitsPausesByGeneration()
    {
        PlotlyFigure fig = GcCharts.Timeline(
            [0.5, 1.5, 2.5], [[10, 20, 300, 40, 0], [5, 25, 400, 40, 0], [1, 2, 500, 40, 8]], [1.25, 2.5, 30], [0, 1, 2]);
        var traces = fig.Data.Select(t => t!.AsObject()).ToList();
        Assert.Equal(8, traces.Count); // five generations, three pause series
        var gen2 = traces.Single(t => (string?)t["name"] == "gen2");
        Assert.Equal([300L, 400L, 500L], gen2["y"]!.AsArray().Select(v => v!.GetValue<long>()));
        var gen2Pause = traces.Single(t => (string?)t["name"] == "gen2 pause");
        Assert.Equal([2.5], gen2Pause["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([30.0], gen2Pause["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal("y2", (string?)gen2Pause["yaxis"]);
        Assert.Throws<ArgumentException>(() => GcCharts.Timeline([1.0], [[1, 2, 3]], [1.0], [0]));
        Assert.NotNull(JsonNode.Parse(fig.ToJson()));
    }
}
