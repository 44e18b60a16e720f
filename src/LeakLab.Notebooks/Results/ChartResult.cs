namespace LeakLab.Notebooks.Results;

/// <summary>A Plotly figure; its HTML draws offline (plotly.js inline, loaded once per page).</summary>
public sealed class ChartResult : LeakLabResult
{
    internal ChartResult(ChartKind kind, string title, PlotlyFigure figure)
    {
        Kind = kind;
        Title = title;
        Figure = figure;
    }

    public ChartKind Kind { get; }
    public string Title { get; }
    public PlotlyFigure Figure { get; }

    /// <summary>The figure as Plotly JSON (data, layout, config), for application/vnd.plotly.v1+json.</summary>
    public string ToJson() => Figure.ToJson();

    /// <summary>A fragment that carries plotly.js, so it draws on any page (about 4.8 MB).</summary>
    public override string ToHtml() => Render.ChartHtml(Figure, PlotlyScriptMode.Inline);

    /// <summary>A fragment for a page that gets plotly.js once (<see cref="PlotlyScriptMode"/>): kernels send it with their first chart only.</summary>
    public string ToHtml(PlotlyScriptMode mode) => Render.ChartHtml(Figure, mode);
    public override string ToText() => $"chart: {Title} (open the HTML output to see it)\n";
}
