namespace LeakLab;

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

    public override string ToHtml() => Render.ChartHtml(Figure);
    public override string ToText() => $"chart: {Title} (open the HTML output to see it)\n";
}
