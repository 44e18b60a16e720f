using System.Text;

namespace LeakLab.Presentation.Html;

/// <summary>
/// A standalone HTML page built from fragments: doctype, charset, title, LeakLab's CSS once and plotly.js once
/// (only when a chart is present), so the file opens offline in any browser.
/// </summary>
/// <example>
/// <code>
/// var report = new HtmlReport("static-cache leak")
///     .Heading("Types").Html(HtmlPresenter.TypeStats(stats))
///     .Chart(HeapCharts.TypeGrowth(comparison));
/// report.Save("report.html"); // owner-only, like everything derived from a process's memory
/// </code>
/// </example>
public sealed class HtmlReport
{
    private readonly string _title;
    private readonly List<string> _parts = [];

    public HtmlReport(string title) => _title = title ?? throw new ArgumentNullException(nameof(title));

    /// <summary>A section heading (h2 by default), encoded.</summary>
    public HtmlReport Heading(string text, int level = 2)
    {
        level = Math.Clamp(level, 1, 6);
        _parts.Add(new HtmlWriter().Element("h" + level, text, "ll-heading").ToString());
        return this;
    }

    /// <summary>A paragraph of text, encoded.</summary>
    public HtmlReport Paragraph(string text)
    {
        _parts.Add(new HtmlWriter().Element("p", text).ToString());
        return this;
    }

    /// <summary>A fragment from <see cref="HtmlPresenter"/>, <see cref="PlotlyHtml"/> or <see cref="HtmlWriter"/> (trusted markup, not encoded).</summary>
    public HtmlReport Html(string fragment)
    {
        _parts.Add(fragment ?? "");
        return this;
    }

    /// <summary>A chart; the page loads plotly.js once in its head.</summary>
    public HtmlReport Chart(PlotlyFigure figure, string? height = null)
    {
        _parts.Add(PlotlyHtml.Render(figure, PlotlyScriptMode.AssumeLoaded, height));
        return this;
    }

    public string ToHtml() => Page(_title, _parts);

    /// <summary>Writes the page as UTF-8.</summary>
    public void Save(string path) => PrivateFile.WriteAllText(path, ToHtml(), new UTF8Encoding(false)); // owner-only: it shows the heap's strings

    /// <summary>
    /// Wraps fragments into a page. Per-fragment style elements and inline copies of plotly.js (from
    /// <see cref="PlotlyScriptMode.Inline"/>) are removed, and each is written once in the head instead.
    /// </summary>
    public static string Page(string title, IEnumerable<string> fragments)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        var body = new StringBuilder();
        bool hasChart = false;
        foreach (string fragment in fragments)
        {
            string f = fragment ?? "";
            // Markers only LeakLab writes: dump text is encoded, so it can never contain a raw '"' or '<'.
            if (f.Contains(PlotlyHtml.ChartMarker, StringComparison.Ordinal))
            {
                hasChart = true;
                f = PlotlyHtml.StripInlineLibrary(f);
            }
            body.Append(f.Replace(HtmlAssets.StyleElement, "", StringComparison.Ordinal)).Append('\n');
        }

        var page = new StringBuilder(body.Length + 4096 + (hasChart ? PlotlyLibrary.Source.Length : 0));
        page.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"LeakLab\">\n")
            .Append("<title>").Append(HtmlWriter.Encode(title)).Append("</title>\n")
            .Append("<style>:root{color-scheme:light dark}body.ll-page{margin:1.5em auto;max-width:1200px;padding:0 1em;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}")
            .Append(HtmlAssets.Css).Append("</style>\n");
        if (hasChart)
            page.Append("<script>").Append(PlotlyLibrary.Source).Append("</script>\n");
        page.Append("</head>\n<body class=\"ll-page\">\n<h1>").Append(HtmlWriter.Encode(title)).Append("</h1>\n")
            .Append(body)
            .Append("</body>\n</html>\n");
        return page.ToString();
    }
}
