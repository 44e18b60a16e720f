using System.Text.Json.Nodes;

namespace LeakLab.Presentation.Charts;

/// <summary>Plotly figures of a live trace's GC timeline.</summary>
public static class GcCharts
{
    private static readonly string[] s_generations = ["gen0", "gen1", "gen2", "LOH", "POH"];

    /// <summary>
    /// Panels over the seconds since the watch started: the heap per generation after each GC (stacked areas, bytes;
    /// top), each GC's pause (bars, ms; coloured by condemned generation) and, when given, the allocation rate (bytes
    /// per second; bottom).
    /// </summary>
    /// <param name="seconds">When each GC started, seconds since the start; one entry per GC, oldest first.</param>
    /// <param name="sizeAfter">Bytes after each GC per generation: gen0, gen1, gen2, LOH, POH (5 values per GC).</param>
    /// <param name="pauseMs">Each GC's pause in milliseconds.</param>
    /// <param name="generation">Each GC's condemned generation (0, 1, 2).</param>
    /// <param name="allocationRate">Optional: seconds since the start and bytes allocated per second (the alloc-rate counter).</param>
    /// <exception cref="ArgumentException">The lists differ in length or a size row is not 5 long.</exception>
    public static PlotlyFigure Timeline(IReadOnlyList<double> seconds, IReadOnlyList<long[]> sizeAfter, IReadOnlyList<double> pauseMs, IReadOnlyList<int> generation,
        IReadOnlyList<(double Seconds, double BytesPerSecond)>? allocationRate = null)
    {
        int n = seconds.Count;
        if (sizeAfter.Count != n || pauseMs.Count != n || generation.Count != n || sizeAfter.Any(r => r.Length != s_generations.Length))
            throw new ArgumentException("seconds, sizeAfter (5 per GC), pauseMs and generation must describe the same GCs");

        var fig = PlotlyFigure.Base("Heap per generation after each GC, and GC pauses");
        bool rate = allocationRate is not null;
        fig.Layout["grid"] = new JsonObject { ["rows"] = rate ? 3 : 2, ["columns"] = 1, ["pattern"] = "independent", ["roworder"] = "top to bottom" };
        fig.Layout["height"] = rate ? 760 : 560;
        fig.Layout["yaxis"]!["title"] = new JsonObject { ["text"] = "bytes after GC" };
        fig.Layout["yaxis2"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "pause (ms)" }, ["gridcolor"] = "rgba(127,127,127,0.25)", ["rangemode"] = "tozero", ["automargin"] = true };
        fig.Layout["xaxis2"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "seconds" }, ["gridcolor"] = "rgba(127,127,127,0.25)", ["automargin"] = true };
        fig.Layout["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.15 };

        for (int g = 0; g < s_generations.Length; g++)
        {
            int gen = g;
            fig.Data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "lines",
                ["stackgroup"] = "heap",
                ["name"] = s_generations[g],
                ["x"] = PlotlyFigure.Numbers(seconds),
                ["y"] = PlotlyFigure.Numbers(sizeAfter.Select(r => r[gen])),
                ["line"] = new JsonObject { ["color"] = PlotlyFigure.Palette[g] },
                ["hovertemplate"] = $"{s_generations[g]} %{{y:,}} B at %{{x:.1f}} s<extra></extra>",
            });
        }
        for (int g = 0; g <= 2; g++)
        {
            int gen = g;
            var at = Enumerable.Range(0, n).Where(i => generation[i] == gen).ToList();
            fig.Data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["name"] = $"gen{g} pause",
                ["x"] = PlotlyFigure.Numbers(at.Select(i => seconds[i])),
                ["y"] = PlotlyFigure.Numbers(at.Select(i => pauseMs[i])),
                ["xaxis"] = "x2",
                ["yaxis"] = "y2",
                ["marker"] = new JsonObject { ["color"] = PlotlyFigure.Palette[g] },
                ["hovertemplate"] = $"gen{g} GC: %{{y:.2f}} ms at %{{x:.1f}} s<extra></extra>",
            });
        }
        if (allocationRate is not null)
        {
            fig.Layout["yaxis3"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "allocated (B/s)" }, ["gridcolor"] = "rgba(127,127,127,0.25)", ["rangemode"] = "tozero", ["automargin"] = true };
            fig.Layout["xaxis3"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "seconds" }, ["gridcolor"] = "rgba(127,127,127,0.25)", ["automargin"] = true, ["matches"] = "x2" };
            fig.Data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "lines",
                ["name"] = "allocation rate",
                ["x"] = PlotlyFigure.Numbers(allocationRate.Select(r => r.Seconds)),
                ["y"] = PlotlyFigure.Numbers(allocationRate.Select(r => r.BytesPerSecond)),
                ["xaxis"] = "x3",
                ["yaxis"] = "y3",
                ["line"] = new JsonObject { ["color"] = PlotlyFigure.Palette[5] },
                ["hovertemplate"] = "%{y:,.0f} B/s at %{x:.1f} s<extra></extra>",
            });
        }
        return fig;
    }
}
