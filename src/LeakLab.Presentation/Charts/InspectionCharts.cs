using System.Text.Json.Nodes;

namespace LeakLab.Presentation.Charts;

/// <summary>Plotly figures of inspection findings.</summary>
public static class InspectionCharts
{
    /// <summary>
    /// One line per finding that carries a count per snapshot (<see cref="Finding.Counts"/>), most serious first, x the
    /// snapshot label and time; null when no finding has a series (one snapshot, or findings on bytes only).
    /// </summary>
    public static PlotlyFigure? FindingCounts(InspectionReport report, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(report);
        var snaps = report.Snapshots;
        var charted = report.Findings.Where(f => snaps.Count >= 2 && f.Counts.Count == snaps.Count).Take(top).ToList();
        if (charted.Count == 0)
            return null;
        var x = Enumerable.Range(0, snaps.Count).Select(i => HtmlPresenter.SnapshotLabel(snaps, i)).ToList();
        var fig = PlotlyFigure.Base("Counts behind each finding across snapshots").WithAxisTitles(null, "count");
        for (int i = 0; i < charted.Count; i++)
        {
            Finding f = charted[i];
            string name = $"{f.Scenario} {f.Root.Kind} {f.Root.Name}";
            fig.Data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "lines+markers",
                ["name"] = PlotlyText.Label(PlotlyText.Short(name, 60)),
                ["x"] = PlotlyFigure.Strings(x),
                ["y"] = PlotlyFigure.Numbers(f.Counts),
                ["line"] = new JsonObject { ["color"] = PlotlyFigure.Palette[i % PlotlyFigure.Palette.Length] },
                // The title travels as per-point text, never inside the template, so a '%{' in a dump string stays literal.
                ["text"] = PlotlyFigure.Strings(Enumerable.Repeat(f.Title, x.Count)),
                ["hovertemplate"] = "%{text}<br>%{x}: %{y:,}<extra></extra>",
            });
        }
        return fig;
    }
}
