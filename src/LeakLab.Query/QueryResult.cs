using System.Globalization;
using System.Text;

namespace LeakLab.Query;

/// <summary>
/// The rows of one SQL query: column names, rows as arrays of values (long, double, string, byte[] or null: DuckDB's
/// other types are turned into these, integers beyond long and lists into exact text),
/// and how long it took.
/// </summary>
public sealed class QueryResult
{
    /// <summary>Rows that <see cref="ToString"/> prints before it summarises the rest.</summary>
    public const int TextRowLimit = 200;

    internal QueryResult(string sql, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, TimeSpan elapsed, TimeSpan waited)
    {
        Sql = sql;
        Columns = columns;
        Rows = rows;
        Elapsed = elapsed;
        WaitedForObjects = waited;
    }

    public string Sql { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<object?[]> Rows { get; }
    /// <summary>Time spent running the query, not counting any wait for the objects/refs tables.</summary>
    public TimeSpan Elapsed { get; }
    /// <summary>Time this query waited for the background load of objects/refs (zero when it did not need them).</summary>
    public TimeSpan WaitedForObjects { get; }

    /// <summary>A column's values, by name (case-insensitive).</summary>
    public IEnumerable<object?> Column(string name)
    {
        int i = -1;
        for (int k = 0; k < Columns.Count && i < 0; k++)
        {
            if (string.Equals(Columns[k], name, StringComparison.OrdinalIgnoreCase))
                i = k;
        }
        if (i < 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"The query result has no column '{name}'; columns: {string.Join(", ", Columns)}.");
        return Rows.Select(r => r[i]);
    }

    /// <summary>An aligned text table (numbers right-aligned, NULL shown as NULL), at most <see cref="TextRowLimit"/> rows.</summary>
    public override string ToString()
    {
        int shown = Math.Min(Rows.Count, TextRowLimit);
        var cells = new string[shown][];
        var widths = Columns.Select(c => c.Length).ToArray();
        var numeric = new bool[Columns.Count];
        for (int c = 0; c < numeric.Length; c++)
            numeric[c] = Rows.Take(shown).Any(r => r[c] is long or double) && Rows.Take(shown).All(r => r[c] is null or long or double);
        for (int r = 0; r < shown; r++)
        {
            cells[r] = new string[Columns.Count];
            for (int c = 0; c < Columns.Count; c++)
            {
                string s = Format(Rows[r][c]);
                cells[r][c] = s;
                widths[c] = Math.Max(widths[c], s.Length);
            }
        }
        var sb = new StringBuilder();
        AppendRow(sb, [.. Columns], widths, new bool[Columns.Count]);
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            AppendRow(sb, row, widths, numeric);
        if (Rows.Count > shown)
            sb.Append("... ").Append((Rows.Count - shown).ToString("N0", CultureInfo.InvariantCulture)).AppendLine(" more rows");
        sb.Append('(').Append(Rows.Count.ToString("N0", CultureInfo.InvariantCulture)).Append(Rows.Count == 1 ? " row, " : " rows, ")
          .Append(Elapsed.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)).Append(" ms");
        if (WaitedForObjects > TimeSpan.Zero)
            sb.Append(", waited ").Append(WaitedForObjects.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)).Append(" ms for the objects/refs load");
        sb.Append(')');
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths, bool[] rightAlign)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0)
                sb.Append("  ");
            bool last = c == cells.Length - 1;
            if (rightAlign[c])
                sb.Append(cells[c].PadLeft(widths[c]));
            else
                sb.Append(last ? cells[c] : cells[c].PadRight(widths[c]));
        }
        sb.AppendLine();
    }

    private static string Format(object? value) => value switch
    {
        null => "NULL",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        byte[] b => $"<{b.Length} bytes>",
        // One line per row: a string from the heap may hold newlines or tabs.
        string s => s.ReplaceLineEndings("\u21B5").Replace('\t', ' '),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
