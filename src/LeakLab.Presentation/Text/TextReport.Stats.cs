using System.Text;

namespace LeakLab.Presentation.Text;

public static partial class TextReport
{
    /// <summary>
    /// Per-type statistics as a table (Count, Bytes, Retained when known, Type), the first <paramref name="top"/> rows
    /// in the order given, and a totals line over all rows.
    /// </summary>
    public static string Stats(IReadOnlyList<TypeStat> stats, int top = int.MaxValue, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        options ??= TextReportOptions.Default;
        bool withRetained = stats.Any(s => s.Retained is not null);

        TextTable table = withRetained
            ? options.Table(new("Count", ColumnKind.Number), new("Bytes", ColumnKind.Bytes), new("Retained", ColumnKind.Bytes), new("Type", ColumnKind.TypeName))
            : options.Table(new("Count", ColumnKind.Number), new("Bytes", ColumnKind.Bytes), new("Type", ColumnKind.TypeName));
        int shown = Math.Min(Math.Max(top, 0), stats.Count);
        for (int i = 0; i < shown; i++)
        {
            TypeStat s = stats[i];
            if (withRetained)
                table.AddRow(s.Count, s.Bytes, s.Retained, s.Type);
            else
                table.AddRow(s.Count, s.Bytes, s.Type);
        }

        var text = new StringBuilder(table.Render());
        AppendMore(text, shown, stats.Count, "types");
        text.Append($"Total: {N(stats.Sum(s => s.Count))} objects, {options.Bytes(stats.Sum(s => s.Bytes))} in {N(stats.Count)} types\n");
        return text.ToString();
    }
}
