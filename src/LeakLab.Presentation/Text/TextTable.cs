using System.Globalization;
using System.Text;

namespace LeakLab.Presentation.Text;

/// <summary>
/// An aligned plain-text table: text left-aligned, numbers right-aligned with thousands separators,
/// long names truncated in the middle (the start and the end of a type name are what tell types apart).
/// </summary>
/// <remarks>
/// Cells are formatted when added, so a table holds only strings. Control characters in a cell (a newline in a
/// type name from a hostile dump, an escape sequence in a command line) are shown escaped (<c>\n</c>, <c>\x1b</c>): a
/// cell never breaks its row or drives the terminal. Numbers are formatted with the invariant
/// culture: output is read by people and by scripts, and both expect "1,234,567" whatever the machine's locale.
/// </remarks>
internal sealed class TextTable
{
    private const string Separator = "  ";
    private const int MinTextWidth = 12;
    private readonly TextColumn[] _columns;
    private readonly List<string[]> _rows = [];
    private readonly List<string?[]> _humanRows = []; // byte cells as "12.3 MiB", used when exact figures do not fit

    public TextTable(params TextColumn[] columns)
    {
        if (columns.Length == 0)
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        _columns = columns;
    }

    /// <summary>Total width limit in characters; text columns shrink (middle truncation) to fit. Unlimited by default.</summary>
    public int MaxWidth { get; init; } = int.MaxValue;

    /// <summary>Show <see cref="ColumnKind.Bytes"/> cells as "12.3 MiB" instead of exact byte counts.</summary>
    public bool HumanizeBytes { get; init; }

    /// <summary>
    /// Show <see cref="ColumnKind.TypeName"/> and <see cref="ColumnKind.RootName"/> cells short (namespaces dropped);
    /// two names that would read the same stay full.
    /// </summary>
    public bool ShortNames { get; init; }

    public IReadOnlyList<TextColumn> Columns => _columns;
    public int RowCount => _rows.Count;

    /// <summary>Adds a row; cells are matched to columns in order, missing cells are empty.</summary>
    public TextTable AddRow(params object?[] cells)
    {
        if (cells.Length > _columns.Length)
            throw new ArgumentException($"The row has {cells.Length} cells but the table has {_columns.Length} columns.", nameof(cells));
        var row = new string[_columns.Length];
        var human = new string?[_columns.Length];
        for (int i = 0; i < row.Length; i++)
        {
            object? cell = i < cells.Length ? cells[i] : null;
            row[i] = cell is null ? "" : Printable(Format(cell, _columns[i].Kind, HumanizeBytes));
            if (_columns[i].Kind is ColumnKind.Bytes or ColumnKind.BytesDelta && cell is not null and not string)
                human[i] = Format(cell, _columns[i].Kind, humanize: true);
        }
        _rows.Add(row);
        _humanRows.Add(human);
        return this;
    }

    /// <summary>
    /// The table as text. When it is wider than <see cref="MaxWidth"/>, it first shows bytes as "12.3 MiB", then leaves
    /// out optional columns (right to left) while a name would still be cut, and only then cuts names in the middle.
    /// </summary>
    public string Render()
    {
        List<string[]> rows = ShortNames ? Shortened() : [.. _rows.Select(r => (string[])r.Clone())];
        bool[] shown = [.. _columns.Select(_ => true)];
        if (NaturalWidth(rows, shown) > MaxWidth)
            UseHumanBytes(rows);
        for (int c = _columns.Length - 1; c >= 0 && NamesCramped(rows, shown); c--)
        {
            if (_columns[c].Optional)
                shown[c] = false;
        }
        int[] widths = ColumnWidths(rows, shown);
        var text = new StringBuilder();
        AppendLine(text, _columns.Select(c => c.Header).ToArray(), widths, shown);
        AppendLine(text, widths.Select(w => new string('-', w)).ToArray(), widths, shown);
        foreach (string[] row in rows)
            AppendLine(text, row, widths, shown);
        return text.ToString();
    }

    private void UseHumanBytes(List<string[]> rows)
    {
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < _columns.Length; c++)
            {
                if (_humanRows[r][c] is string human)
                    rows[r][c] = human;
            }
        }
    }

    private long NaturalWidth(List<string[]> rows, bool[] shown)
    {
        long total = 0;
        int count = 0;
        for (int c = 0; c < _columns.Length; c++)
        {
            if (!shown[c])
                continue;
            total += NaturalWidth(rows, c);
            count++;
        }
        return total + (long)Separator.Length * Math.Max(count - 1, 0);
    }

    private int NaturalWidth(List<string[]> rows, int c)
    {
        int w = _columns[c].Header.Length;
        foreach (string[] row in rows)
            w = Math.Max(w, row[c].Length);
        return Math.Min(w, Math.Max(_columns[c].MaxWidth, 1));
    }

    private bool NamesCramped(List<string[]> rows, bool[] shown)
    {
        if (NaturalWidth(rows, shown) <= MaxWidth)
            return false;
        int[] widths = ColumnWidths(rows, shown);
        for (int c = 0; c < _columns.Length; c++)
        {
            if (shown[c] && _columns[c].IsText && widths[c] < NaturalWidth(rows, c))
                return true;
        }
        return false;
    }

    /// <summary>
    /// <paramref name="text"/> with every control character escaped: <c>\n</c>, <c>\r</c>, <c>\t</c>, else <c>\xHH</c>
    /// (<c>\u0085</c> style above 0xff). Text without control characters comes back as it is.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !char.IsControl(text[first]))
            first++;
        if (first == text.Length)
            return text;
        var result = new StringBuilder(text.Length + 8).Append(text, 0, first);
        foreach (char c in text.AsSpan(first))
        {
            if (!char.IsControl(c))
                result.Append(c);
            else
                result.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => c <= 0xff ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}",
                });
        }
        return result.ToString();
    }

    public void WriteTo(TextWriter writer) => writer.Write(Render());

    public override string ToString() => Render();

    /// <summary>Shortens <paramref name="text"/> to <paramref name="width"/> characters by replacing its middle with "…".</summary>
    public static string TruncateMiddle(string text, int width)
    {
        if (text.Length <= width)
            return text;
        if (width <= 1)
            return width <= 0 ? "" : "…";
        int keep = width - 1;
        int head = (keep + 1) / 2;
        return string.Concat(text.AsSpan(0, head), "…", text.AsSpan(text.Length - (keep - head)));
    }

    /// <summary>The separator of the steps of a path label, as <see cref="ColumnKind.Path"/> cells write them.</summary>
    public const string PathArrow = PathText.Arrow;

    private const int MinRootWidth = 12;

    /// <summary>
    /// Shortens a path label "root → a A → b B → c C" to <paramref name="width"/> characters by whole steps: the root
    /// and as many last steps as fit stay, the steps between become one "…"; when not even the root and the last step
    /// fit, the root cut in the middle (while at least 12 characters of it show), else the last step alone (its middle
    /// cut only if it is longer than the width).
    /// </summary>
    public static string TruncateSteps(string text, int width)
    {
        if (text.Length <= width)
            return text;
        string[] steps = text.Split(PathArrow);
        if (steps.Length < 2)
            return TruncateMiddle(text, width);
        string head = steps[0] + PathArrow + "…";
        string tail = "";
        for (int i = steps.Length - 1; i >= 1; i--)
        {
            string longer = PathArrow + steps[i] + tail;
            if (head.Length + longer.Length > width)
                break;
            tail = longer;
        }
        if (tail.Length > 0)
            return head + tail;
        // The root is what a path table is read for: rather than drop it, cut its middle while it keeps a readable part.
        string rest = PathArrow + "…" + PathArrow + steps[^1];
        if (width - rest.Length >= MinRootWidth)
            return TruncateMiddle(steps[0], width - rest.Length) + rest;
        string last = "…" + PathArrow + steps[^1];
        return last.Length <= width ? last : TruncateMiddle(steps[^1], width);
    }

    /// <summary>Formats a number the way a table cell shows it ("1,234", or "0.87" for fractions).</summary>
    public static string FormatNumber(object? value) => value switch
    {
        null => "",
        double d => d.ToString("N2", CultureInfo.InvariantCulture),
        float f => f.ToString("N2", CultureInfo.InvariantCulture),
        decimal m => m.ToString("N2", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Format(object? value, ColumnKind kind, bool humanize)
    {
        if (value is null)
            return "";
        if (value is string s)
            return s;
        return kind switch
        {
            ColumnKind.Bytes when humanize && TryLong(value, out long b) => ByteSize.Format(b),
            ColumnKind.BytesDelta when TryLong(value, out long b) => Signed(b, humanize ? ByteSize.Format(b) : FormatNumber(b)),
            ColumnKind.Delta when TryLong(value, out long d) => Signed(d, FormatNumber(d)),
            ColumnKind.Number or ColumnKind.Bytes or ColumnKind.Delta => FormatNumber(value),
            _ => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "",
        };
    }

    private static string Signed(long value, string formatted) => value > 0 ? "+" + formatted : formatted;

    private static bool TryLong(object value, out long result)
    {
        switch (value)
        {
            case long l: result = l; return true;
            case int i: result = i; return true;
            case uint u: result = u; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            default: result = 0; return false;
        }
    }

    private List<string[]> Shortened()
    {
        var rows = _rows.Select(r => (string[])r.Clone()).ToList();
        for (int c = 0; c < _columns.Length; c++)
        {
            Func<string, string>? shorten = _columns[c].Kind switch
            {
                ColumnKind.TypeName => global::LeakLab.Core.TypeNames.ShortNames.Type,
                ColumnKind.RootName => global::LeakLab.Core.TypeNames.ShortNames.Member,
                _ => null,
            };
            if (shorten is null)
                continue;
            string[] full = rows.Select(r => r[c]).Distinct(StringComparer.Ordinal).ToArray();
            string[] shown = global::LeakLab.Core.TypeNames.ShortNames.Distinct(full, shorten);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < full.Length; i++)
                map[full[i]] = shown[i];
            foreach (string[] row in rows)
                row[c] = map[row[c]];
        }
        return rows;
    }

    private int[] ColumnWidths(List<string[]> rows, bool[] shown)
    {
        var widths = new int[_columns.Length];
        for (int c = 0; c < _columns.Length; c++)
            widths[c] = shown[c] ? NaturalWidth(rows, c) : 0;

        long total = NaturalWidth(rows, shown);
        while (total > MaxWidth)
        {
            // Shrink the widest text column first: it is nearly always the type name, whose middle matters least.
            int widest = -1;
            for (int c = 0; c < widths.Length; c++)
            {
                if (shown[c] && _columns[c].IsText && widths[c] > MinTextWidth
                    && (widest < 0 || widths[c] > widths[widest]))
                    widest = c;
            }
            if (widest < 0)
                break; // numbers are never cut: a table wider than the limit beats a wrong figure
            widths[widest]--;
            total--;
        }
        return widths;
    }

    private void AppendLine(StringBuilder text, string[] cells, int[] widths, bool[] shown)
    {
        int start = text.Length;
        bool first = true;
        for (int c = 0; c < cells.Length; c++)
        {
            if (!shown[c])
                continue;
            if (!first)
                text.Append(Separator);
            first = false;
            string cell = _columns[c].Kind == ColumnKind.Path ? TruncateSteps(cells[c], widths[c]) : TruncateMiddle(cells[c], widths[c]);
            if (_columns[c].RightAligned)
                text.Append(cell.PadLeft(widths[c]));
            else
                text.Append(cell.PadRight(widths[c]));
        }
        int end = text.Length;
        while (end > start && text[end - 1] == ' ')
            end--;
        text.Length = end;
        text.Append('\n');
    }
}
