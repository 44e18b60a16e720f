using Xunit;

namespace LeakLab.Tests.Notebooks;

public class InspectMagicTests
{
    /// <summary>A static event (with hostile names) whose invocation list holds <paramref name="subscribers"/> listeners.</summary>
    private static HeapGraph EventGraph(int subscribers)
    {
        var b = new HeapGraphBuilder();
        Inspections.InspectorTests.Event(b, subscribers, "Evil.Bus.<img src=x onerror=alert(1)>", "Evil.<script>alert(1)</script>");
        return b.Build(new SnapshotInfo { SourceKind = "test", ProcessId = 3, HasFieldNames = true });
    }

    /// <summary>Snapshots a, b, c of the hostile event with 10, 200 and 400 subscribers.</summary>
    private static LeakLabSession SeriesSession()
    {
        var session = new LeakLabSession();
        session.Add(EventGraph(10), "a");
        session.Add(EventGraph(200), "b");
        session.Add(EventGraph(400), "c");
        return session;
    }

    [Fact]
    public async Task Inspect_magic_runs_the_inspections_over_the_loaded_snapshots_and_escapes_names_in_html()
    {
        using var session = SeriesSession();
        var executor = new MagicCommandExecutor(session);

        var result = Assert.IsType<InspectResult>(await executor.ExecuteAsync("#!leaklab inspect"));
        Finding finding = Assert.Single(result);
        Assert.Equal("S02", finding.Scenario);
        Assert.Equal(["a", "b", "c"], result.SnapshotNames);
        Assert.Contains("[S02]", result.ToText());
        string html = result.ToHtml();
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;img src=x", html);

        var two = Assert.IsType<InspectResult>(await executor.ExecuteAsync("#!leaklab inspect a c"));
        Assert.Equal(["a", "c"], two.SnapshotNames);
        await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab inspect nosuch"));
    }

    [Fact]
    public async Task Inspect_charts_each_findings_counts_per_snapshot_and_gives_typed_dataframes()
    {
        using var session = SeriesSession();
        var executor = new MagicCommandExecutor(session);

        var command = new MagicCommandParser().Parse("#!leaklab inspect --to f");
        Assert.Equal("f", command.To);
        var result = Assert.IsType<InspectResult>(await executor.ExecuteAsync("#!leaklab inspect"));
        Finding finding = Assert.Single(result);
        Assert.Equal([10L, 200L, 400L], finding.Counts);

        var chart = System.Text.Json.Nodes.JsonNode.Parse(result.Chart!.ToJson())!;
        var trace = Assert.Single(chart["data"]!.AsArray())!;
        Assert.Equal([10L, 200L, 400L], trace["y"]!.AsArray().Select(v => (long)v!));
        Assert.Equal(3, trace["x"]!.AsArray().Count);
        string html = result.ToHtml(PlotlyScriptMode.AssumeLoaded);
        Assert.Contains("data-ll-plotly", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);

        var frames = result.ToDataFrames();
        Assert.Equal(["findings", "counts"], frames.Select(f => f.Name));
        var findings = frames[0].Frame;
        Assert.Equal(typeof(double), findings["score"].DataType);
        Assert.Equal(typeof(long), findings["retained_bytes"].DataType);
        Assert.Equal("S02", findings["scenario"][0]);
        var counts = frames[1].Frame;
        Assert.Equal(["a", "b", "c"], counts["snapshot"].Cast<string>());
        Assert.Equal([10L, 200L, 400L], counts["count"].Cast<long?>().Select(v => v!.Value));

        // One snapshot: findings still, but no series to chart.
        var one = Assert.IsType<InspectResult>(await executor.ExecuteAsync("#!leaklab inspect c"));
        Assert.Null(one.Chart);
        Assert.DoesNotContain("data-ll-plotly", one.ToHtml());
    }
}
