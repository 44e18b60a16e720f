using System.Text.Json.Nodes;

namespace LeakLab.Presentation.Charts;

/// <summary>Plotly figures built from analysis results: growth across snapshots, retained size, object age per type.</summary>
public static class HeapCharts
{
    /// <summary>
    /// Counts (top panel) and bytes (bottom panel) per type across snapshots, for the top <paramref name="top"/> types of
    /// the comparison (suspects first). One colour per type in both panels; x is the snapshot label and time.
    /// </summary>
    public static PlotlyFigure TypeGrowth(SnapshotComparison comparison, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var snaps = comparison.Snapshots;
        var x = Enumerable.Range(0, snaps.Count).Select(i => HtmlPresenter.SnapshotLabel(snaps, i)).ToList();
        var fig = PlotlyFigure.Base("Objects and bytes per type across snapshots");
        fig.Layout["grid"] = new JsonObject { ["rows"] = 2, ["columns"] = 1, ["pattern"] = "independent", ["roworder"] = "top to bottom" };
        fig.Layout["height"] = 620;
        fig.Layout["yaxis"]!["title"] = new JsonObject { ["text"] = "objects" };
        fig.Layout["yaxis2"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "bytes" }, ["gridcolor"] = "rgba(127,127,127,0.25)", ["rangemode"] = "tozero", ["automargin"] = true };
        fig.Layout["xaxis2"] = new JsonObject { ["gridcolor"] = "rgba(127,127,127,0.25)", ["automargin"] = true };
        fig.Layout["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.12 };

        int i = 0;
        foreach (TypeTrend t in comparison.Types.Take(top))
        {
            string color = PlotlyFigure.Palette[i % PlotlyFigure.Palette.Length];
            string name = PlotlyText.Label(PlotlyText.Short((t.Growing ? "\u25B2 " : "") + t.Type));
            fig.Data.Add(Trace(name, x, PlotlyFigure.Numbers(t.Counts), color, "x", "y", showLegend: true, t.Type));
            fig.Data.Add(Trace(name, x, PlotlyFigure.Numbers(t.Bytes), color, "x2", "y2", showLegend: false, t.Type));
            i++;
        }
        return fig;
    }

    /// <summary>
    /// Retained size as a treemap (or sunburst): the objects held directly by roots grouped by type, and inside each group
    /// the objects they immediately dominate grouped by type. Bounded to about <paramref name="maxBoxes"/> boxes; the rest
    /// is summed into "(other types)".
    /// </summary>
    public static PlotlyFigure RetainedTreemap(DominatorTree tree, int maxBoxes = 300, bool sunburst = false)
    {
        ArgumentNullException.ThrowIfNull(tree);
        maxBoxes = Math.Max(maxBoxes, 10);
        HeapGraph g = tree.Graph;

        // One pass over the dominator tree: level 1 = objects whose immediate dominator is the virtual root,
        // level 2 = objects whose immediate dominator is a level-1 object. Both summed by type.
        var top = new Dictionary<int, (long Bytes, long Count)>();
        var children = new Dictionary<(int Parent, int Child), (long Bytes, long Count)>();
        for (int n = 0; n < g.NodeCount; n++)
        {
            int d = tree.ImmediateDominator((NodeId)n);
            if (d == DominatorTree.VirtualRoot)
            {
                Add(top, g.TypeOf((NodeId)n), tree.RetainedSize((NodeId)n));
            }
            else if (d >= 0 && tree.ImmediateDominator((NodeId)d) == DominatorTree.VirtualRoot)
            {
                Add(children, (g.TypeOf((NodeId)d), g.TypeOf((NodeId)n)), tree.RetainedSize((NodeId)n));
            }
        }

        var ids = new List<string>();
        var labels = new List<string>();
        var parents = new List<string>();
        var values = new List<long>();
        var counts = new List<long>();
        long total = top.Values.Sum(v => v.Bytes);
        ids.Add("heap"); labels.Add($"{g.Info.Label}"); parents.Add(""); values.Add(total); counts.Add(top.Values.Sum(v => v.Count));

        var level1 = top.OrderByDescending(kv => kv.Value.Bytes).ToList();
        int budget = maxBoxes - 2;
        int firstLevel = Math.Min(level1.Count, Math.Max(1, budget / 3));
        var shown = new HashSet<int>();
        foreach (var (type, v) in level1.Take(firstLevel))
        {
            ids.Add($"t{type}"); labels.Add(PlotlyText.Label(PlotlyText.Short(g.TypeName((TypeId)type), 50))); parents.Add("heap");
            values.Add(v.Bytes); counts.Add(v.Count);
            shown.Add(type);
        }
        var rest = level1.Skip(firstLevel).ToList();
        if (rest.Count > 0)
        {
            ids.Add("other"); labels.Add($"(other {rest.Count:N0} types)"); parents.Add("heap");
            values.Add(rest.Sum(kv => kv.Value.Bytes)); counts.Add(rest.Sum(kv => kv.Value.Count));
        }
        budget = maxBoxes - ids.Count;
        foreach (var ((parent, child), v) in children.Where(kv => shown.Contains(kv.Key.Parent) && kv.Value.Bytes > 0)
                                                      .OrderByDescending(kv => kv.Value.Bytes).Take(Math.Max(0, budget)))
        {
            ids.Add($"t{parent}/c{child}"); labels.Add(PlotlyText.Label(PlotlyText.Short(g.TypeName((TypeId)child), 50))); parents.Add($"t{parent}");
            values.Add(v.Bytes); counts.Add(v.Count);
        }

        var fig = PlotlyFigure.Base($"Retained size by type: {ByteSize.Format(total)} reachable");
        fig.Layout["margin"] = new JsonObject { ["t"] = 50, ["r"] = 10, ["b"] = 10, ["l"] = 10 };
        fig.Layout["height"] = 560;
        fig.Data.Add(new JsonObject
        {
            ["type"] = sunburst ? "sunburst" : "treemap",
            ["ids"] = new JsonArray([.. ids.Select(s => (JsonNode?)JsonValue.Create(s))]),
            ["labels"] = new JsonArray([.. labels.Select(s => (JsonNode?)JsonValue.Create(s))]),
            ["parents"] = new JsonArray([.. parents.Select(s => (JsonNode?)JsonValue.Create(s))]),
            ["values"] = PlotlyFigure.Numbers(values),
            ["customdata"] = PlotlyFigure.Numbers(counts),
            // "total": a box's value already includes its children (retained size does), so Plotly must not add them again.
            ["branchvalues"] = "total",
            ["textinfo"] = "label+value+percent root",
            ["hovertemplate"] = "%{label}<br>%{value:,} bytes retained<br>%{customdata:,} objects<extra></extra>",
            ["maxdepth"] = 3,
        });
        return fig;
    }

    /// <summary>
    /// Generation (age) distribution per type: one horizontal stacked bar per type (the <paramref name="top"/> types by
    /// bytes), one segment per generation. Objects that survive to gen2 and stay there are what leaks look like.
    /// </summary>
    public static PlotlyFigure Generations(HeapGraph graph, int top = 15, bool bytes = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var gens = new[] { Generation.Gen0, Generation.Gen1, Generation.Gen2, Generation.Large, Generation.Pinned, Generation.Frozen, Generation.Unknown };
        var names = new[] { "gen0", "gen1", "gen2", "LOH", "POH", "frozen", "unknown" };
        var perType = new long[graph.TypeCount, gens.Length];
        var typeBytes = new long[graph.TypeCount];
        var typeCounts = new long[graph.TypeCount];
        for (int n = 0; n < graph.NodeCount; n++)
        {
            int t = graph.TypeOf((NodeId)n);
            int gi = GenIndex(graph.GenerationOf((NodeId)n));
            long size = graph.Size((NodeId)n);
            perType[t, gi] += bytes ? size : 1;
            typeBytes[t] += size;
            typeCounts[t]++;
        }
        var types = Enumerable.Range(0, graph.TypeCount).Where(t => typeCounts[t] > 0)
                              .OrderByDescending(t => typeBytes[t]).Take(top).ToList();
        var fig = PlotlyFigure.Base($"{(bytes ? "Bytes" : "Objects")} per generation, top {types.Count} types by size");
        fig.Layout["barmode"] = "stack";
        fig.Layout["height"] = Math.Max(320, 110 + 26 * types.Count);
        fig.Layout["yaxis"] = new JsonObject { ["autorange"] = "reversed", ["automargin"] = true };
        fig.Layout["xaxis"]!["title"] = new JsonObject { ["text"] = bytes ? "bytes" : "objects" };
        fig.Layout["legend"] = new JsonObject { ["orientation"] = "h", ["x"] = 0, ["y"] = 1.0, ["yanchor"] = "bottom", ["traceorder"] = "normal" };
        fig.Layout["margin"] = new JsonObject { ["t"] = 80, ["r"] = 20, ["b"] = 50, ["l"] = 60 };
        var labels = types.Select(t => PlotlyText.Short(graph.TypeName((TypeId)t), 60)).ToList();
        for (int gi = 0; gi < gens.Length; gi++)
        {
            if (!types.Any(t => perType[t, gi] > 0))
                continue;
            fig.Data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["orientation"] = "h",
                ["name"] = names[gi],
                ["y"] = PlotlyFigure.Strings(labels),
                ["x"] = PlotlyFigure.Numbers(types.Select(t => perType[t, gi])),
                ["marker"] = new JsonObject { ["color"] = PlotlyFigure.Palette[gi % PlotlyFigure.Palette.Length] },
            });
        }
        return fig;
    }

    internal static int GenIndex(Generation g) => g switch
    {
        Generation.Gen0 => 0,
        Generation.Gen1 => 1,
        Generation.Gen2 => 2,
        Generation.Large => 3,
        Generation.Pinned => 4,
        Generation.Frozen => 5,
        _ => 6,
    };

    private static JsonObject Trace(string name, List<string> x, JsonArray y, string color, string xaxis, string yaxis, bool showLegend, string fullName) => new()
    {
        ["type"] = "scatter",
        ["mode"] = "lines+markers",
        ["name"] = name,
        ["legendgroup"] = name,
        ["showlegend"] = showLegend,
        ["x"] = PlotlyFigure.Strings(x),
        ["y"] = y,
        ["xaxis"] = xaxis,
        ["yaxis"] = yaxis,
        ["line"] = new JsonObject { ["color"] = color },
        // The full name travels as per-point text, never inside the template, so a '%{' in a type name stays literal.
        ["text"] = PlotlyFigure.Strings(Enumerable.Repeat(fullName, x.Count)),
        ["hovertemplate"] = "%{text}<br>%{x}: %{y:,}<extra></extra>",
    };

    private static void Add<TKey>(Dictionary<TKey, (long Bytes, long Count)> map, TKey key, long bytes) where TKey : notnull
    {
        map.TryGetValue(key, out var v);
        map[key] = (v.Bytes + bytes, v.Count + 1);
    }
}
