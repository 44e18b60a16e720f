using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeakLab.Presentation.Charts;

/// <summary>Turns a <see cref="PlotlyFigure"/> into an HTML fragment that draws offline: a div plus a script calling <c>Plotly.newPlot</c>.</summary>
public static partial class PlotlyHtml
{
    /// <summary>Attribute every chart fragment carries; <see cref="HtmlReport"/> uses it to load plotly.js once.</summary>
    internal const string ChartMarker = "data-ll-plotly=\"1\"";

    /// <summary>The version of the embedded plotly.js, e.g. "4.1.2".</summary>
    public static string PlotlyVersion => PlotlyLibrary.Version;

    /// <summary>
    /// A chart fragment. The figure JSON is embedded with <see cref="HtmlWriter.ScriptSafeJson(string)"/>, so no label can
    /// end the script. Until the chart draws, the div reads "Loading chart…"; it says so if plotly.js never arrives.
    /// </summary>
    /// <param name="height">CSS height of the chart, e.g. "460px" or "60vh"; by default the figure's layout.height, else 460px.</param>
    public static string Render(PlotlyFigure figure, PlotlyScriptMode mode = PlotlyScriptMode.Inline, string? height = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        height ??= figure.Layout["height"] is JsonValue h && h.TryGetValue(out int px) && px > 0 ? $"{px}px" : "460px";
        if (!HeightRegex().IsMatch(height))
            throw new ArgumentException($"Chart height '{height}' is not a CSS length like 460px, 30em or 60vh.", nameof(height));
        string id = HtmlAssets.NewId("ll-p-");
        string json = HtmlWriter.ScriptSafeJson(figure.ToJsonNode());

        var sb = new StringBuilder(json.Length + 1024 + (mode == PlotlyScriptMode.Inline ? PlotlyLibrary.InlineScriptElement.Length : 0));
        sb.Append("<div class=\"ll-frag ll-chart\" ").Append(ChartMarker).Append('>');
        if (mode == PlotlyScriptMode.Inline)
            sb.Append(PlotlyLibrary.InlineScriptElement);
        sb.Append("<div id=\"").Append(id).Append("\" style=\"width:100%;height:").Append(height)
          .Append("\"><span style=\"opacity:.6\">Loading chart\u2026</span></div>");
        // Text colour follows the host theme (VS Code dark, Jupyter light) unless the figure sets its own font colour.
        sb.Append("<script>(function(){var fig=").Append(json).Append(";var el=document.getElementById('").Append(id).Append("');")
          .Append("function draw(){el.textContent='';var l=fig.layout||{};l.font=l.font||{};")
          .Append("if(!l.font.color){try{l.font.color=getComputedStyle(el).color;}catch(e){}}")
          .Append("window.Plotly.newPlot(el,fig.data,l,fig.config);}")
          .Append("if(window.Plotly){draw();return;}")
          // Without the library yet: an earlier output of the page may still bring it (VS Code renders outputs lazily),
          // so keep waiting; after 3 s ask the CDN once per page; after 20 s say what to do, and still draw if it comes.
          .Append("var n=0,t=setInterval(function(){if(window.Plotly){clearInterval(t);draw();return;}n++;")
          .Append("if(n===30&&!window.__llPlotlyCdn){window.__llPlotlyCdn=1;var s=document.createElement('script');var d=window.define;")
          .Append("s.src='").Append(CdnUrl).Append("';window.define=undefined;s.onload=s.onerror=function(){window.define=d;};document.head.appendChild(s);}")
          .Append("if(n===200){el.textContent='").Append(MissingLibraryMessage).Append("';}if(n>6000){clearInterval(t);}},100);")
          .Append("})();</script></div>");
        return sb.ToString();
    }

    /// <summary>Where a chart without the library on its page fetches it (only when online and nothing on the page brought it).</summary>
    public static string CdnUrl => $"https://cdn.plot.ly/plotly-{PlotlyVersion}.min.js";

    /// <summary>What a chart says when plotly.js never arrived: no output of the page carries it and the CDN is out of reach.</summary>
    internal const string MissingLibraryMessage =
        "plotly.js is not on this page: it comes with the first LeakLab chart of each kernel session, and that output is gone. Run this cell again (after a kernel restart if needed) to draw the chart.";

    /// <summary>The <c>application/vnd.plotly.v1+json</c> payload (same as <see cref="PlotlyFigure.ToJson"/>).</summary>
    public static string MimeJson(PlotlyFigure figure) => figure.ToJson();

    /// <summary>A standalone script element holding plotly.js, for pages that place it themselves.</summary>
    public static string LibraryScriptElement() => "<script>" + PlotlyLibrary.Source + "</script>";

    internal static string StripInlineLibrary(string fragment) =>
        fragment.Contains("data-ll-plotly-lib=", StringComparison.Ordinal)
            ? fragment.Replace(PlotlyLibrary.InlineScriptElement, "", StringComparison.Ordinal)
            : fragment;

    [GeneratedRegex(@"^\d{1,5}(\.\d{1,3})?(px|em|rem|vh|vw|%)$")]
    private static partial Regex HeightRegex();
}
