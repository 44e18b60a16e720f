using System.Globalization;

namespace LeakLab.Presentation.Html;

/// <summary>One table cell: display text, an optional numeric sort key and an optional CSS class.</summary>
internal readonly record struct HtmlCell(string? Text, double? SortKey = null, string? CssClass = null, string? Title = null)
{
    public static HtmlCell Number(long value) => new(value.ToString("N0", CultureInfo.InvariantCulture), value);
    public static HtmlCell Number(long? value) => value is { } v ? Number(v) : default;
    public static HtmlCell Signed(long value) =>
        new((value > 0 ? "+" : "") + value.ToString("N0", CultureInfo.InvariantCulture), value,
            value > 0 ? "ll-up" : value < 0 ? "ll-down" : null);
    public static HtmlCell Address(ulong address) => new($"0x{address:x}", null, "ll-mono");
    public static HtmlCell Type(string name) => new(name, null, "ll-type");

    /// <summary>A SQL or user value: numbers right-aligned and sortable, byte arrays summarised, the rest as text.</summary>
    public static HtmlCell FromValue(object? value) => value switch
    {
        null or DBNull => new HtmlCell(null, null, "ll-muted"),
        long l => Number(l),
        int i => Number(i),
        short s => Number(s),
        byte b => Number(b),
        ulong u => new(u.ToString("N0", CultureInfo.InvariantCulture), u),
        uint u => Number(u),
        double d => new(FormatDouble(d), double.IsNaN(d) ? null : d),
        float f => new(FormatDouble(f), float.IsNaN(f) ? null : f),
        decimal m => new(m.ToString("#,##0.####", CultureInfo.InvariantCulture), (double)m),
        bool b => new(b ? "true" : "false"),
        byte[] bytes => new($"({bytes.Length:N0} bytes)", bytes.Length, "ll-muted"),
        DateTimeOffset t => new(t.ToString("u", CultureInfo.InvariantCulture)),
        DateTime t => new(t.ToString("u", CultureInfo.InvariantCulture)),
        IFormattable f => new(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => new(value.ToString()),
    };

    private static string FormatDouble(double d) =>
        double.IsFinite(d) ? d.ToString(Math.Abs(d) >= 1e15 ? "G6" : "#,##0.####", CultureInfo.InvariantCulture) : d.ToString(CultureInfo.InvariantCulture);
}

internal readonly record struct HtmlColumn(string Header, bool Numeric = false);

/// <summary>Writes a sortable table, with a pager once it reaches <see cref="PagingThreshold"/> rows.</summary>
internal static class HtmlTable
{
    public const int PagingThreshold = 50;
    public const int DefaultPageSize = 25;

    public static void Write(HtmlWriter w, IReadOnlyList<HtmlColumn> columns, IReadOnlyList<HtmlCell[]> rows, int totalRows = -1, string? caption = null)
    {
        if (totalRows < rows.Count)
            totalRows = rows.Count;
        string id = HtmlAssets.NewId("ll-t-");
        bool paged = rows.Count >= PagingThreshold;

        w.Open("div", "ll-tablebox");
        if (caption is not null)
            w.Element("div", caption, "ll-caption");
        w.Open("table", "ll-table", ("id", id), ("data-ll-page", paged ? DefaultPageSize.ToString(CultureInfo.InvariantCulture) : null));
        w.Open("thead").Open("tr");
        foreach (var c in columns)
            w.Element("th", c.Header, c.Numeric ? "ll-num" : null, ("title", "click to sort"));
        w.Close().Close();
        w.Open("tbody");
        foreach (var row in rows)
        {
            w.Open("tr");
            for (int i = 0; i < columns.Count; i++)
            {
                HtmlCell cell = i < row.Length ? row[i] : default;
                string? css = columns[i].Numeric ? (cell.CssClass is null ? "ll-num" : "ll-num " + cell.CssClass) : cell.CssClass;
                w.Element("td", cell.Text, css,
                    ("data-v", cell.SortKey?.ToString("R", CultureInfo.InvariantCulture)),
                    ("title", cell.Title));
            }
            w.Close();
        }
        w.Close().Close();

        if (paged)
        {
            // Hidden until the script runs: without scripts every row stays visible and the pager would be dead.
            w.Open("div", "ll-pager", ("hidden", "hidden"));
            w.Element("button", "\u2039 prev", "ll-prev", ("type", "button"));
            w.Element("span", "", "ll-info");
            w.Element("button", "next \u203A", "ll-next", ("type", "button"));
            w.Open("select", null, ("title", "rows per page"));
            foreach (int size in new[] { 25, 50, 100 })
                w.Element("option", $"{size} rows", null, ("value", size.ToString(CultureInfo.InvariantCulture)), ("selected", size == DefaultPageSize ? "selected" : null));
            w.Element("option", "all rows", null, ("value", "0"));
            w.Close();
            w.Close();
        }
        if (totalRows > rows.Count)
            w.Element("div", $"Showing the first {rows.Count:N0} of {totalRows:N0} rows.", "ll-note");
        w.TrustedScript(HtmlAssets.TableScriptTemplate.Replace("@ID", id, StringComparison.Ordinal));
        w.Close();
    }
}
