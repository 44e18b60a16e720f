namespace LeakLab;

/// <summary>How a chart fragment gets plotly.js.</summary>
public enum PlotlyScriptMode
{
    /// <summary>
    /// The fragment carries the whole minified library (about 4.8 MB), run only if <c>window.Plotly</c> is missing.
    /// For notebook outputs, which must draw offline in VS Code where each output stands alone.
    /// </summary>
    Inline,
    /// <summary>The page loads plotly.js once (as <see cref="HtmlReport"/> does); the fragment only draws.</summary>
    AssumeLoaded,
}
