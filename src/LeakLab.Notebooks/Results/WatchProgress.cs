using System.Text;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// A running <c>#!leaklab watch</c> as the notebook shows it in place: a status line and the chart so far (heap per
/// generation after each GC, GC pauses, allocation rate). The final <see cref="WatchResult"/> replaces it.
/// </summary>
public sealed class WatchProgress : LeakLabResult
{
    internal WatchProgress(string status, PlotlyFigure chart)
    {
        Status = status;
        Chart = chart;
    }

    /// <summary>"12 s of 30: heap 45.2 MB, 8 GCs, 120 allocation samples, snapshots 1/3".</summary>
    public string Status { get; }
    public PlotlyFigure Chart { get; }

    public override string ToHtml() => ToHtml(PlotlyScriptMode.Inline);

    public string ToHtml(PlotlyScriptMode mode) => new StringBuilder().Append(Render.MessageHtml(Status)).Append(Render.ChartHtml(Chart, mode)).ToString();

    public override string ToText() => Status + "\n";
}
