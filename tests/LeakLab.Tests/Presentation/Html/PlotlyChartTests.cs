using Xunit;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static LeakLab.Tests.Presentation.Html.HostileHeap;

namespace LeakLab.Tests.Presentation.Html;

public class PlotlyChartTests
{
    [Fact]
    public void Line_figure_has_plotly_json_shape()
    {
        var fig = PlotlyFigure.Line("heap <MB>", new[] { "t0", "t1", "t2" }, ("gen2", new double[] { 1, 2, 3 }), ("loh", new double[] { 4, double.NaN, 6 }))
            .WithAxisTitles("time", "MB");
        var json = JsonNode.Parse(fig.ToJson())!.AsObject();

        Assert.Equal(["data", "layout", "config"], json.Select(kv => kv.Key));
        var data = json["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("scatter", (string?)data[0]!["type"]);
        Assert.Equal("lines+markers", (string?)data[0]!["mode"]);
        Assert.Equal(["t0", "t1", "t2"], data[0]!["x"]!.AsArray().Select(v => (string?)v));
        Assert.Equal([1d, 2d, 3d], data[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Null(data[1]!["y"]![1]);                         // NaN is a gap, since JSON has no NaN
        Assert.Equal("heap &lt;MB&gt;", (string?)json["layout"]!["title"]!["text"]);
        Assert.Equal("MB", (string?)json["layout"]!["yaxis"]!["title"]!["text"]);
        Assert.True((bool)json["config"]!["responsive"]!);
        Assert.Throws<ArgumentException>(() => PlotlyFigure.Line("x", new[] { 1, 2 }, ("a", new double[] { 1 })));
    }

    [Fact]
    public void Bar_figure_stacks_or_groups()
    {
        var stacked = JsonNode.Parse(PlotlyFigure.Bar("b", new[] { 1, 2 }, true, ("a", new double[] { 1, 2 })).ToJson())!;
        var grouped = JsonNode.Parse(PlotlyFigure.Bar("b", new[] { 1, 2 }, false, ("a", new double[] { 1, 2 })).ToJson())!;
        Assert.Equal("stack", (string?)stacked["layout"]!["barmode"]);
        Assert.Equal("group", (string?)grouped["layout"]!["barmode"]);
        Assert.Equal("bar", (string?)stacked["data"]![0]!["type"]);
        Assert.Equal([1, 2], stacked["data"]![0]!["x"]!.AsArray().Select(v => (int)v!));
    }

    [Fact]
    public void Figure_round_trips_through_the_plotly_mime_json()
    {
        var fig = HeapCharts.Generations(Build());
        var again = PlotlyFigure.Parse(PlotlyHtml.MimeJson(fig));
        Assert.Equal(fig.ToJson(), again.ToJson());
        Assert.Equal("application/vnd.plotly.v1+json", PlotlyFigure.MimeType);
        Assert.Throws<LeakLabException>(() => PlotlyFigure.Parse("{nope"));
    }

    [Fact]
    public void TypeGrowth_has_counts_and_bytes_panels_per_type_with_escaped_names()
    {
        var snaps = new[] { Build(10, "a.dmp"), Build(100, "b.dmp"), Build(300, "c.dmp") }.Select(g => new HeapAnalysis(g)).ToList();
        var cmp = SnapshotComparison.Compare(snaps);
        var json = JsonNode.Parse(HeapCharts.TypeGrowth(cmp, top: 3).ToJson())!;
        var data = json["data"]!.AsArray();

        Assert.Equal(2 * Math.Min(3, cmp.Types.Count), data.Count);
        Assert.Equal("y2", (string?)data[1]!["yaxis"]);
        Assert.Equal((string?)data[0]!["name"], (string?)data[1]!["name"]);
        Assert.Equal((string?)data[0]!["line"]!["color"], (string?)data[1]!["line"]!["color"]);
        Assert.NotNull(json["layout"]!["yaxis2"]);
        Assert.Equal(["a.dmp", "b.dmp", "c.dmp"], data[0]!["x"]!.AsArray().Select(v => (string?)v));

        var leaked = data.First(t => ((string?)t!["name"])!.Contains("&lt;script&gt;", StringComparison.Ordinal))!;
        Assert.StartsWith("\u25B2 ", (string?)leaked["name"]);  // growing: marked as suspect
        Assert.Equal([10L, 100L, 300L], leaked["y"]!.AsArray().Select(v => (long)v!));
        Assert.DoesNotContain(data, t => ((string?)t!["name"])!.Contains('<'));
    }

    [Fact]
    public void RetainedTreemap_is_a_consistent_bounded_tree()
    {
        // 60 rooted holders of distinct types, each dominating children of 8 types: more boxes than allowed.
        var b = new HeapGraphBuilder();
        for (int h = 0; h < 60; h++)
        {
            NodeId holder = b.AddNode($"Holder{h}", 100 + h);
            b.AddRoot(RootKind.StaticField, $"S.f{h}", holder);
            for (int c = 0; c < 8; c++)
                b.AddEdge(holder, b.AddNode($"Child{c}", 10 * (c + 1)), "f");
        }
        var graph = b.Build();
        var dom = DominatorTree.Compute(graph);
        var trace = JsonNode.Parse(HeapCharts.RetainedTreemap(dom, maxBoxes: 120).ToJson())!["data"]![0]!;

        var ids = trace["ids"]!.AsArray().Select(v => (string)v!).ToList();
        var parents = trace["parents"]!.AsArray().Select(v => (string)v!).ToList();
        var values = trace["values"]!.AsArray().Select(v => (long)v!).ToList();
        Assert.Equal("treemap", (string?)trace["type"]);
        Assert.Equal("total", (string?)trace["branchvalues"]);
        Assert.True(ids.Count <= 120, $"{ids.Count} boxes");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(parents.Where(p => p != ""), p => Assert.Contains(p, ids));
        long totalBytes = Enumerable.Range(0, graph.NodeCount).Sum(n => graph.Size((NodeId)n));
        Assert.Equal(totalBytes, values[0]);
        for (int i = 0; i < ids.Count; i++)
        {
            long children = Enumerable.Range(0, ids.Count).Where(k => parents[k] == ids[i]).Sum(k => values[k]);
            Assert.True(children <= values[i], $"children of {ids[i]} exceed it");
        }
        Assert.Contains(trace["labels"]!.AsArray(), l => ((string)l!).StartsWith("(other ", StringComparison.Ordinal));

        var sunburst = JsonNode.Parse(HeapCharts.RetainedTreemap(dom, sunburst: true).ToJson())!["data"]![0]!;
        Assert.Equal("sunburst", (string?)sunburst["type"]);
    }

    [Fact]
    public void Generations_stack_one_bar_per_type_whose_parts_add_up()
    {
        var graph = Build();
        var json = JsonNode.Parse(HeapCharts.Generations(graph, top: 10, bytes: false).ToJson())!;
        Assert.Equal("stack", (string?)json["layout"]!["barmode"]);
        var data = json["data"]!.AsArray();
        Assert.Equal(["gen0", "gen1", "gen2"], data.Select(t => (string?)t!["name"]));
        var stats = TypeStatistics.Compute(graph);
        foreach (var stat in stats)
        {
            string label = stat.Type.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
            long sum = data.Sum(t =>
            {
                int i = t!["y"]!.AsArray().Select(v => (string?)v).ToList().IndexOf(label);
                return i < 0 ? 0L : (long)t["x"]![i]!;
            });
            Assert.Equal(stat.Count, sum);
        }
    }

    [Fact]
    public void Rendered_chart_embeds_script_safe_json_and_plotly_inline_or_not()
    {
        var fig = PlotlyFigure.Bar(Script, new[] { Img, Script, "</script><!--" }, false, (Script, new double[] { 1, 2, 3 }));
        string inline = PlotlyHtml.Render(fig, PlotlyScriptMode.Inline);
        string assume = PlotlyHtml.Render(fig, PlotlyScriptMode.AssumeLoaded, "300px");

        AssertInert(inline);
        AssertInert(assume);
        Assert.Contains("if(!window.Plotly){", inline);
        Assert.Contains("plotly.js v" + PlotlyHtml.PlotlyVersion, inline);
        Assert.DoesNotContain("plotly.js v", assume);
        Assert.Contains("height:300px", assume);
        Assert.Contains("Plotly.newPlot(el,fig.data,l,fig.config)", assume);
        Assert.DoesNotContain("<!--", assume);
        Assert.True(inline.Length > 1_000_000 && assume.Length < 10_000, $"{inline.Length} / {assume.Length}");

        // The JSON in the script parses back to the figure.
        string json = Regex.Match(assume, @"var fig=(\{.*?\});var el=").Groups[1].Value;
        Assert.Equal(fig.ToJsonNode().ToJsonString(), JsonNode.Parse(json)!.ToJsonString());
        Assert.Throws<ArgumentException>(() => PlotlyHtml.Render(fig, PlotlyScriptMode.AssumeLoaded, "1px;background:url(x)"));
    }

    [Fact]
    public void Embedded_plotly_is_the_version_pinned_in_package_json()
    {
        var package = JsonNode.Parse(File.ReadAllText(PackageJson()))!;
        string pinned = (string)package["dependencies"]!["plotly.js-dist-min"]!;
        Assert.Matches(@"^\d+\.\d+\.\d+$", pinned);                 // exact pin, no range
        Assert.Equal(pinned, PlotlyHtml.PlotlyVersion);
        Assert.DoesNotContain("</script", PlotlyHtml.LibraryScriptElement()[8..^9], StringComparison.OrdinalIgnoreCase);
    }

    private static string PackageJson([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../../../src/LeakLab.Presentation/js/package.json"));
}
