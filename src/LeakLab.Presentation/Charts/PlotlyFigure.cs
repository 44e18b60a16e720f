using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeakLab.Presentation.Charts;

/// <summary>
/// A Plotly figure as JSON: <see cref="Data"/> (traces), <see cref="Layout"/> and <see cref="Config"/>, exactly what
/// <c>Plotly.newPlot</c> and the <c>application/vnd.plotly.v1+json</c> MIME type take. The nodes are mutable, so callers can
/// adjust anything Plotly supports before rendering.
/// </summary>
public sealed class PlotlyFigure
{
    /// <summary>The MIME type notebook front ends (VS Code, JupyterLab) render natively.</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    // Ten distinguishable colours; series that belong together (counts and bytes of one type) share one.
    internal static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public PlotlyFigure(JsonArray? data = null, JsonObject? layout = null, JsonObject? config = null)
    {
        Data = data ?? [];
        Layout = layout ?? [];
        Config = config ?? new JsonObject { ["responsive"] = true, ["displaylogo"] = false };
    }

    public JsonArray Data { get; }
    public JsonObject Layout { get; }
    public JsonObject Config { get; }

    /// <summary>The figure as <c>{"data":[…],"layout":{…},"config":{…}}</c>.</summary>
    public string ToJson(bool indented = false) =>
        ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    /// <summary>A detached copy of the figure as one JSON object (the <see cref="MimeType"/> payload).</summary>
    public JsonObject ToJsonNode() => new()
    {
        ["data"] = Data.DeepClone(),
        ["layout"] = Layout.DeepClone(),
        ["config"] = Config.DeepClone(),
    };

    /// <summary>Reads a figure written by <see cref="ToJson"/> (or any Plotly JSON with data/layout/config).</summary>
    public static PlotlyFigure Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new LeakLabException(LeakLabErrorKind.BadArgument, "Plotly JSON must be an object with \"data\" and \"layout\".");
        }
        catch (JsonException e)
        {
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"Plotly JSON is not valid JSON: {e.Message}", e);
        }
        return new PlotlyFigure(
            root["data"]?.DeepClone() as JsonArray,
            root["layout"]?.DeepClone() as JsonObject,
            root["config"]?.DeepClone() as JsonObject);
    }

    public override string ToString() => ToJson();

    /// <summary>A line chart with markers: one trace per series over shared x values (strings, numbers or times).</summary>
    public static PlotlyFigure Line<TX>(string title, IReadOnlyList<TX> x, params (string Name, IReadOnlyList<double> Y)[] series)
    {
        var fig = Base(title);
        for (int i = 0; i < series.Length; i++)
        {
            CheckLength(x.Count, series[i].Y.Count, series[i].Name);
            fig.Data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "lines+markers",
                ["name"] = PlotlyText.Label(series[i].Name),
                ["x"] = XValues(x),
                ["y"] = Numbers(series[i].Y),
                ["line"] = new JsonObject { ["color"] = Palette[i % Palette.Length] },
            });
        }
        return fig;
    }

    /// <summary>A bar chart: one trace per series, grouped side by side or stacked.</summary>
    public static PlotlyFigure Bar<TX>(string title, IReadOnlyList<TX> x, bool stacked, params (string Name, IReadOnlyList<double> Y)[] series)
    {
        var fig = Base(title);
        fig.Layout["barmode"] = stacked ? "stack" : "group";
        for (int i = 0; i < series.Length; i++)
        {
            CheckLength(x.Count, series[i].Y.Count, series[i].Name);
            fig.Data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["name"] = PlotlyText.Label(series[i].Name),
                ["x"] = XValues(x),
                ["y"] = Numbers(series[i].Y),
                ["marker"] = new JsonObject { ["color"] = Palette[i % Palette.Length] },
            });
        }
        return fig;
    }

    /// <summary>Sets the axis titles of the first x and y axes; returns this figure.</summary>
    public PlotlyFigure WithAxisTitles(string? xTitle, string? yTitle)
    {
        if (xTitle is not null)
            Axis("xaxis")["title"] = new JsonObject { ["text"] = PlotlyText.Label(xTitle) };
        if (yTitle is not null)
            Axis("yaxis")["title"] = new JsonObject { ["text"] = PlotlyText.Label(yTitle) };
        return this;
    }

    internal JsonObject Axis(string name)
    {
        if (Layout[name] is not JsonObject axis)
            Layout[name] = axis = [];
        return axis;
    }

    /// <summary>Transparent backgrounds and translucent grids, so the chart reads on light and dark notebook themes.</summary>
    internal static PlotlyFigure Base(string title)
    {
        var grid = "rgba(127,127,127,0.25)";
        return new PlotlyFigure(layout: new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = PlotlyText.Label(title) },
            ["paper_bgcolor"] = "rgba(0,0,0,0)",
            ["plot_bgcolor"] = "rgba(0,0,0,0)",
            ["margin"] = new JsonObject { ["t"] = 50, ["r"] = 20, ["b"] = 50, ["l"] = 60 },
            ["xaxis"] = new JsonObject { ["gridcolor"] = grid, ["automargin"] = true },
            ["yaxis"] = new JsonObject { ["gridcolor"] = grid, ["automargin"] = true, ["rangemode"] = "tozero" },
            ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.2 },
        });
    }

    internal static JsonArray Numbers(IEnumerable<double> values)
    {
        var array = new JsonArray();
        foreach (double v in values)
            array.Add(double.IsFinite(v) ? JsonValue.Create(v) : null); // JSON has no NaN/Infinity; Plotly draws a gap
        return array;
    }

    internal static JsonArray Numbers(IEnumerable<long> values)
    {
        var array = new JsonArray();
        foreach (long v in values)
            array.Add(JsonValue.Create(v));
        return array;
    }

    internal static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (string v in values)
            array.Add(JsonValue.Create(PlotlyText.Label(v)));
        return array;
    }

    private static JsonArray XValues<TX>(IReadOnlyList<TX> x)
    {
        var array = new JsonArray();
        foreach (TX v in x)
        {
            array.Add(v switch
            {
                null => null,
                string s => JsonValue.Create(PlotlyText.Label(s)),
                DateTimeOffset t => JsonValue.Create(t.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)),
                DateTime t => JsonValue.Create(t.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)),
                double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
                _ => JsonSerializer.SerializeToNode(v),
            });
        }
        return array;
    }

    private static void CheckLength(int x, int y, string name)
    {
        if (x != y)
            throw new ArgumentException($"Series '{name}' has {y} values but there are {x} x values.");
    }
}
