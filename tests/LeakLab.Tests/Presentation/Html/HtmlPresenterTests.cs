using Xunit;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static LeakLab.Tests.Presentation.Html.HostileHeap;

namespace LeakLab.Tests.Presentation.Html;

public class HtmlPresenterTests
{
    [Fact]
    public void Encode_escapes_html_characters_and_control_characters_and_keeps_other_scripts()
    {
        Assert.Equal("&lt;a href=&quot;x&quot;&gt;&amp;&#x27;&#x2B;", HtmlWriter.Encode("<a href=\"x\">&'+"));
        string controls = HtmlWriter.Encode("a\0b\u001bc");
        Assert.DoesNotContain(controls, char.IsControl);
        Assert.StartsWith("a&#x", controls);
        Assert.Equal("Dictionary&lt;名前, Ünïcode&gt; → x", HtmlWriter.Encode("Dictionary<名前, Ünïcode> → x"));
        Assert.Equal("", HtmlWriter.Encode(null));
        Assert.Equal("System.String", HtmlWriter.Encode("System.String"));
    }

    [Fact]
    public void Writer_refuses_script_elements_and_event_handler_attributes()
    {
        var w = new HtmlWriter();
        Assert.Throws<ArgumentException>(() => w.Open("script"));
        Assert.Throws<ArgumentException>(() => w.Element("div", "x", null, ("onclick", "alert(1)")));
        Assert.Throws<ArgumentException>(() => w.Element("a", "x", null, ("href", "javascript:alert(1)")));
        Assert.Throws<ArgumentException>(() => w.Element("div onload=x", "x"));
        w.Open("div", Img, ("title", Script)).Text(Script);
        Assert.Throws<InvalidOperationException>(() => w.ToString()); // unbalanced
        string html = w.Close().ToString();
        Assert.Equal("<div class=\"&lt;img src=x onerror=alert(1)&gt;\" title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;</div>", html);
    }

    [Fact]
    public void ScriptSafeJson_cannot_close_the_script_and_keeps_the_value()
    {
        var node = new JsonObject { ["name"] = "</script><script>alert(1)</script><!-- \u2028 & " + Quotes };
        string json = HtmlWriter.ScriptSafeJson(node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.DoesNotContain("<", json);
        Assert.DoesNotContain(">", json);
        Assert.DoesNotContain("\u2028", json);
        Assert.Equal(node["name"]!.GetValue<string>(), JsonNode.Parse(json)!["name"]!.GetValue<string>());
    }

    [Fact]
    public void TypeStats_renders_hostile_type_names_as_text()
    {
        var graph = Build();
        var stats = TypeStatistics.Compute(graph, null, DominatorTree.Compute(graph));
        string html = HtmlPresenter.TypeStats(stats);
        AssertInert(html);
        AssertShownEncoded(html, Script, Img, Quotes, Closure);
        Assert.Contains("Retained bytes", html);
        Assert.Equal(stats.Count, Regex.Matches(html, "<tr>").Count - 1);
    }

    [Fact]
    public void Paths_draw_a_chain_with_root_badge_fields_and_collapsed_runs()
    {
        var graph = Build();
        var computed = ShortestPaths.Compute(graph).PathsToType(Script);
        var linkedList = new RetentionPath(RootKind.StrongHandle, Img, [new PathStep(Closure, null), new PathStep(Closure, Img, 1480), new PathStep(Script, "[]")], 7, 0x1234);
        string html = HtmlPresenter.Paths([.. computed, linkedList]);

        AssertInert(html);
        AssertShownEncoded(html, Script, Img, Quotes, Closure, "." + Img);
        Assert.Contains("\u00D71,480", html);            // collapsed run
        Assert.Contains(">static</span>", html);          // root kind badge
        Assert.Contains(">strong handle</span>", html);
        Assert.Contains(">20 object(s)</span>", html);    // the 20 leaked objects share one shape
        Assert.Contains(">7 object(s)</span>", html);
        Assert.Contains("e.g. 0x1234", html);
    }

    [Fact]
    public void Paths_explain_an_empty_result()
    {
        string html = HtmlPresenter.Paths([]);
        Assert.Contains("No retention paths", html);
    }

    [Fact]
    public void Roots_and_Retained_render_hostile_names_as_text()
    {
        var graph = Build();
        var dom = DominatorTree.Compute(graph);
        string roots = HtmlPresenter.Roots(graph, dom);
        AssertInert(roots);
        AssertShownEncoded(roots, Script, Img + Quotes, Img, Closure);
        Assert.Contains("Retained bytes", roots);

        string retained = HtmlPresenter.Retained(dom, 10);
        AssertInert(retained);
        AssertShownEncoded(retained, Img, Quotes);
        Assert.Contains("Unreachable", retained); // the lone System.String
        Assert.Equal(10, Regex.Matches(retained, "<tr>").Count - 1);
    }

    [Fact]
    public void Comparison_marks_the_growing_hostile_type_as_suspect()
    {
        var t0 = DateTimeOffset.UtcNow;
        var snaps = new[] { Build(10, "a.dmp", t0), Build(200, "b.dmp", t0.AddSeconds(10)), Build(400, "c.dmp", t0.AddSeconds(20)) }
            .Select(g => new HeapAnalysis(g)).ToList();
        var cmp = SnapshotComparison.Compare(snaps);
        string html = HtmlPresenter.Comparison(cmp);

        AssertInert(html);
        AssertShownEncoded(html, Script, Quotes, Img);
        Assert.Contains("\u25B2 suspect", html);
        Assert.Contains("10 \u2192 200 \u2192 400", html);
        Assert.Contains(HtmlWriter.Encode("+390"), html);
        Assert.Contains("a.dmp", html);
        Assert.Contains("c.dmp", html);
    }

    [Fact]
    public void Table_with_200_rows_is_sortable_and_paged()
    {
        var rows = Enumerable.Range(0, 200).Select(i => (IReadOnlyList<object?>)new object?[] { (long)i, $"type {i} {Script}", i * 1.5, null }).ToList();
        string html = HtmlPresenter.Table(["n", "type", "x", "empty"], rows);

        AssertInert(html);
        Assert.Equal(201, Regex.Matches(html, "<tr>").Count);               // every row is there (paging is client side)
        Assert.Contains("data-ll-page=\"25\"", html);
        Assert.Contains("class=\"ll-pager\" hidden=\"hidden\"", html);        // shown by the script only
        Assert.Contains("<option value=\"50\">50 rows</option>", html);
        Assert.Contains("<th class=\"ll-num\" title=\"click to sort\">n</th>", html);
        Assert.Contains("<th title=\"click to sort\">type</th>", html);
        Assert.Contains("data-v=\"199\"", html);                              // numeric sort key
        Assert.Contains(">298.5</td>", html);
        Assert.Single(Regex.Matches(html, "<script>"));
        Assert.Contains("200 row(s)", html);
    }

    [Fact]
    public void Small_tables_have_no_pager_and_big_ones_are_capped()
    {
        var small = HtmlPresenter.Table(["a"], Enumerable.Range(0, 49).Select(i => (IReadOnlyList<object?>)new object?[] { (long)i }));
        Assert.DoesNotContain("class=\"ll-pager\"", small);
        Assert.DoesNotContain("data-ll-page=", small);

        var capped = HtmlPresenter.Table(["a"], Enumerable.Range(0, 300).Select(i => (IReadOnlyList<object?>)new object?[] { (long)i }), maxRows: 100);
        Assert.Equal(101, Regex.Matches(capped, "<tr>").Count);
        Assert.Contains("Showing the first 100 of 300 rows.", capped);
    }

    [Fact]
    public void Tables_on_one_page_get_distinct_ids()
    {
        var rows = new[] { (IReadOnlyList<object?>)new object?[] { 1L } };
        string a = HtmlPresenter.Table(["a"], rows), b = HtmlPresenter.Table(["a"], rows);
        string idA = Regex.Match(a, "id=\"(ll-t-[0-9a-f]+)\"").Groups[1].Value;
        string idB = Regex.Match(b, "id=\"(ll-t-[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEqual("", idA);
        Assert.NotEqual(idA, idB);
        Assert.Contains($"getElementById('{idA}')", a);
    }

    [Fact]
    public void Report_page_has_css_once_and_plotly_only_with_charts()
    {
        var graph = Build();
        string stats = HtmlPresenter.TypeStats(TypeStatistics.Compute(graph));
        string withoutCharts = HtmlReport.Page(Script, [stats, stats]);
        Assert.StartsWith("<!doctype html>", withoutCharts);
        Assert.Contains("<meta charset=\"utf-8\">", withoutCharts);
        Assert.Contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>", withoutCharts);
        Assert.Single(Regex.Matches(withoutCharts, Regex.Escape(".ll-frag{")));
        Assert.DoesNotContain("data-ll-css", withoutCharts);
        Assert.DoesNotContain("plotly.js v", withoutCharts);
        AssertInert(withoutCharts);

        var chart = HeapCharts.Generations(graph);
        string page = new HtmlReport("two charts")
            .Heading(Img).Html(stats)
            .Html(PlotlyHtml.Render(chart, PlotlyScriptMode.Inline))   // as a notebook output would carry it
            .Chart(chart)
            .ToHtml();
        Assert.Single(Regex.Matches(page, Regex.Escape("plotly.js v" + PlotlyHtml.PlotlyVersion)));
        Assert.True(page.IndexOf("plotly.js v", StringComparison.Ordinal) < page.IndexOf("</head>", StringComparison.Ordinal));
        Assert.Equal(2, Regex.Matches(page, "Plotly.newPlot").Count);
        AssertInert(page);
        AssertShownEncoded(page, Img);
    }
}
