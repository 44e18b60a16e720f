namespace LeakLab.Presentation.Charts;

/// <summary>How a chart fragment gets plotly.js.</summary>
public enum PlotlyScriptMode
{
    /// <summary>
    /// The fragment carries the whole minified library (about 4.8 MB), run only if <c>window.Plotly</c> is missing.
    /// For a page's first chart: a standalone HTML output, or the first chart of a notebook kernel session.
    /// </summary>
    Inline,
    /// <summary>
    /// The fragment only draws: the page loads plotly.js once (as <see cref="HtmlReport"/> does), or an earlier output of
    /// the same page carries it (notebook outputs share one page in VS Code, Jupyter and nbconvert's HTML export). It
    /// waits for <c>window.Plotly</c>, asks the CDN after 3 s, and after 20 s says how to get the chart drawn.
    /// </summary>
    AssumeLoaded,
}
