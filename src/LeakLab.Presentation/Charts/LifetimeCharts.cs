using System.Text.Json.Nodes;

namespace LeakLab.Presentation.Charts;

/// <summary>
/// Plotly figures of object lifetimes: what was allocated against what stayed alive, per type, and how each type's
/// objects age (their generation) from one snapshot to the next. The GC timeline itself is <see cref="GcCharts.Timeline"/>.
/// </summary>
public static class LifetimeCharts
{
    private static readonly string[] s_generations = ["gen0", "gen1", "gen2", "LOH", "POH", "frozen", "unknown"];

    /// <summary>
    /// Per type, bytes allocated (estimated from allocation samples) beside bytes that stayed alive (growth of the type's
    /// live bytes between the first and the last snapshot over the same time): horizontal grouped bars, one row per type,
    /// in the order given. A type that keeps most of what it allocates is a leak candidate; churn allocates much and keeps
    /// nothing.
    /// </summary>
    /// <param name="rows">Type name (untrusted, escaped), allocated bytes, surviving bytes (may be negative: the type shrank).</param>
    public static PlotlyFigure AllocationsVsSurvivors(IReadOnlyList<(string Type, long Allocated, long Survived)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var fig = PlotlyFigure.Base("Allocated against still alive, per type");
        fig.Layout["barmode"] = "group";
        fig.Layout["height"] = Math.Max(320, 120 + 44 * rows.Count);
        fig.Layout["yaxis"] = new JsonObject { ["autorange"] = "reversed", ["automargin"] = true };
        fig.Layout["xaxis"]!["title"] = new JsonObject { ["text"] = "bytes" };
        var labels = rows.Select(r => PlotlyText.Short(r.Type, 60)).ToList();
        var full = PlotlyFigure.Strings(rows.Select(r => r.Type));
        (string Name, Func<(string, long Allocated, long Survived), long> Value, string Hover)[] series =
        [
            ("allocated (sampled estimate)", r => r.Allocated, "%{text}<br>allocated ≈ %{x:,} bytes<extra></extra>"),
            ("still alive (growth across snapshots)", r => r.Survived, "%{text}<br>still alive: %{x:,} bytes more<extra></extra>"),
        ];
        for (int i = 0; i < series.Length; i++)
        {
            var s = series[i];
            fig.Data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["orientation"] = "h",
                ["name"] = s.Name,
                ["y"] = PlotlyFigure.Strings(labels),
                ["x"] = PlotlyFigure.Numbers(rows.Select(r => s.Value(r))),
                ["text"] = full.DeepClone(),
                ["textposition"] = "none",
                ["hovertemplate"] = s.Hover,
                ["marker"] = new JsonObject { ["color"] = PlotlyFigure.Palette[i] },
            });
        }
        return fig;
    }

    /// <summary>
    /// Age mix per type across snapshots: for the <paramref name="top"/> types with the most bytes in the last snapshot,
    /// one stacked bar per snapshot (grouped under the type on a two-level axis), one segment per generation. Objects of
    /// a leaking type pile up in gen2 from snapshot to snapshot; short-lived ones stay in gen0/gen1.
    /// </summary>
    /// <param name="snapshots">A label per snapshot, oldest first (same length as <paramref name="graphs"/>).</param>
    /// <param name="graphs">The snapshots' heap graphs; types are matched by name across them.</param>
    /// <param name="top">Types to show (at least 1).</param>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static PlotlyFigure AgeMix(IReadOnlyList<string> snapshots, IReadOnlyList<HeapGraph> graphs, int top = 8)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Count == 0 || snapshots.Count != graphs.Count)
            throw new ArgumentException("give one label per snapshot and at least one snapshot");
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);

        // Per snapshot: type name → bytes per generation.
        var perSnapshot = graphs.Select(BytesByGeneration).ToList();
        var types = perSnapshot[^1].OrderByDescending(p => p.Value.Sum()).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(top).Select(p => p.Key).ToList();

        var fig = PlotlyFigure.Base($"Bytes per generation across {graphs.Count} snapshots, top {types.Count} types");
        fig.Layout["barmode"] = "stack";
        fig.Layout["height"] = 460;
        fig.Layout["xaxis"]!["type"] = "multicategory";
        fig.Layout["yaxis"]!["title"] = new JsonObject { ["text"] = "bytes" };
        var typeAxis = new List<string>();
        var snapshotAxis = new List<string>();
        foreach (string type in types)
        {
            foreach (string snapshot in snapshots)
            {
                typeAxis.Add(PlotlyText.Short(type, 40));
                snapshotAxis.Add(snapshot);
            }
        }
        for (int g = 0; g < s_generations.Length; g++)
        {
            int gen = g;
            var values = types.SelectMany(t => perSnapshot.Select(s => s.TryGetValue(t, out long[]? b) ? b[gen] : 0)).ToList();
            if (values.All(v => v == 0))
                continue;
            fig.Data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["name"] = s_generations[g],
                ["x"] = new JsonArray(PlotlyFigure.Strings(typeAxis), PlotlyFigure.Strings(snapshotAxis)),
                ["y"] = PlotlyFigure.Numbers(values),
                ["marker"] = new JsonObject { ["color"] = PlotlyFigure.Palette[g] },
                ["hovertemplate"] = $"{s_generations[g]}: %{{y:,}} bytes<extra></extra>",
            });
        }
        return fig;
    }

    private static Dictionary<string, long[]> BytesByGeneration(HeapGraph graph)
    {
        var perType = new long[graph.TypeCount][];
        for (int n = 0; n < graph.NodeCount; n++)
        {
            var node = (NodeId)n;
            int t = graph.TypeOf(node);
            (perType[t] ??= new long[s_generations.Length])[HeapCharts.GenIndex(graph.GenerationOf(node))] += graph.Size(node);
        }
        var byName = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (int t = 0; t < perType.Length; t++)
        {
            if (perType[t] is not { } bytes)
                continue;
            // Two type ids can carry one name (same type from two loads); their bytes add up.
            string name = graph.TypeName((TypeId)t);
            if (byName.TryGetValue(name, out long[]? sum))
                for (int g = 0; g < sum.Length; g++) sum[g] += bytes[g];
            else
                byName[name] = bytes;
        }
        return byName;
    }
}
