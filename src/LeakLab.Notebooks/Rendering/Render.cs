namespace LeakLab.Notebooks.Rendering;

/// <summary>
/// The one place the notebook results call into the presenters (text: <see cref="TextReport"/>; HTML:
/// <see cref="HtmlPresenter"/>; charts: <see cref="HeapCharts"/>), so a presenter API change touches only this file.
/// </summary>
internal static class Render
{
    public static string StatsText(IReadOnlyList<TypeStat> rows) => TextReport.Stats(rows);
    public static string StatsHtml(IReadOnlyList<TypeStat> rows) => HtmlPresenter.TypeStats(rows);

    public static string PathsText(IReadOnlyList<RetentionPath> rows, TypeSelection? types) =>
        (types is null ? "" : TextReport.TypeSelection(types)) + TextReport.Paths(rows);

    public static string PathsHtml(IReadOnlyList<RetentionPath> rows, TypeSelection? types)
    {
        // Only a pattern that matched several types needs saying; the note names each with its objects (escaped as text).
        if (types is not { Types.Count: > 1 })
            return HtmlPresenter.Paths(rows);
        string matched = string.Join(", ", types.Types.Take(10).Select(t => $"{t.Type} ({Quantity.Of(t.Objects, "object")})"));
        string more = types.Types.Count > 10 ? FormattableString.Invariant($", and {types.Types.Count - 10:N0} more") : "";
        return HtmlPresenter.Message(FormattableString.Invariant($"'{types.Pattern.Text}' matches {types.Types.Count:N0} types; the paths lead to all of them: {matched}{more}"))
            + HtmlPresenter.Paths(rows);
    }

    public static string RootsText(HeapGraph graph, IReadOnlyList<HeapRoot> roots) => TextReport.Roots(graph, roots);

    public static string RootsHtml(HeapGraph graph, IReadOnlyList<HeapRoot> roots)
    {
        if (roots.Count == graph.Roots.Count)
            return HtmlPresenter.Roots(graph);
        // A filtered list (--kind): same columns as the presenter's full table.
        return HtmlPresenter.Table(["Kind", "Root", "Type", "Address"],
            roots.Select(r => (IReadOnlyList<object?>)[r.Kind.ToString(), r.Name, graph.NodeTypeName(r.Node), $"0x{graph.Address(r.Node):x}"]),
            caption: $"{roots.Count:N0} root(s)");
    }

    public static string RetainedText(RetainedSummary summary) => TextReport.Retained(summary);
    public static string RetainedHtml(DominatorTree tree, int top) => HtmlPresenter.Retained(tree, top);

    public static string DiffText(SnapshotComparison c) => TextReport.Diff(c);
    public static string DiffHtml(SnapshotComparison c) => HtmlPresenter.Comparison(c);

    public static string TableText(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var list = rows.ToList();
        // A column whose every value is a number is right-aligned with separators; anything else is text.
        var numeric = columns.Select((_, i) => list.Count > 0 && list.All(r => i < r.Count && r[i] is long or int or short or byte or double or float or decimal)).ToArray();
        var table = new TextTable([.. columns.Select((c, i) => new TextColumn(c, numeric[i] ? ColumnKind.Number : ColumnKind.Text))]);
        foreach (var row in list)
        {
            table.AddRow([.. row.Select((v, i) => i < numeric.Length && numeric[i] ? v
                : (object?)(v is null or DBNull ? "NULL" : v is byte[] b ? $"<{b.Length} bytes>" : v.ToString()))]);
        }
        return table.Render();
    }

    public static string TableHtml(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string? caption = null) =>
        HtmlPresenter.Table(columns, rows, caption: caption);

    public static string MessageHtml(string text) => HtmlPresenter.Message(text);
    public static string MessageHtml(string text, string? warning) => warning is null ? HtmlPresenter.Message(text) : HtmlPresenter.Message(text, warning);

    public static string ChartHtml(PlotlyFigure figure, PlotlyScriptMode mode) => PlotlyHtml.Render(figure, mode);

    public static PlotlyFigure GrowthChart(SnapshotComparison comparison, int top) => HeapCharts.TypeGrowth(comparison, top);
    public static PlotlyFigure RetainedChart(DominatorTree tree, int top) => HeapCharts.RetainedTreemap(tree, Math.Max(top * 30, 50));
    public static PlotlyFigure GenerationsChart(HeapGraph graph, int top) => HeapCharts.Generations(graph, top);
}
