namespace LeakLab.Presentation.Text;

/// <summary>Layout choices for <see cref="TextReport"/>: how wide the terminal is, how names and bytes read.</summary>
public sealed record TextReportOptions
{
    public static TextReportOptions Default { get; } = new();

    /// <summary>Line width limit for tables; long names are truncated in the middle to fit.</summary>
    public int MaxWidth { get; init; } = int.MaxValue;

    /// <summary>Show byte counts as "12.3 MiB" rather than exact figures.</summary>
    public bool HumanizeBytes { get; init; }

    /// <summary>
    /// Show type and root names short (<see cref="ShortNames"/>: <c>Dictionary&lt;Int64, CachedOrder&gt;</c>) in tables,
    /// paths and suspects. Off by default; the CLI turns it on unless <c>--full-names</c> is given.
    /// </summary>
    public bool ShortNames { get; init; }

    /// <summary>A table that follows these options (width limit, byte format, short names).</summary>
    internal TextTable Table(params TextColumn[] columns) =>
        new(columns) { MaxWidth = MaxWidth, HumanizeBytes = HumanizeBytes, ShortNames = ShortNames };

    /// <summary>A type name as these options show it outside a table.</summary>
    public string TypeName(string name) => TextTable.Printable(ShortNames ? global::LeakLab.Core.TypeNames.ShortNames.Type(name) : name);

    /// <summary>A root or path label as these options show it outside a table.</summary>
    public string RootName(string name) => TextTable.Printable(ShortNames ? global::LeakLab.Core.TypeNames.ShortNames.Member(name) : name);

    /// <summary>
    /// <paramref name="line"/> broken at spaces to fit <see cref="MaxWidth"/>, each line ending in '\n'; later lines are
    /// indented two spaces deeper than the line's own indent, so a wrapped line never reads as a new one.
    /// </summary>
    public string Wrap(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int indent = line.Length - line.TrimStart(' ').Length;
        return Wrap(line[indent..], MaxWidth, line[..indent], "  ");
    }

    /// <summary>
    /// Every line of <paramref name="text"/> that is longer than <see cref="MaxWidth"/> wrapped as <see cref="Wrap(string)"/>
    /// does; shorter lines (tables, which fit already) are kept as they are. A word longer than the width (a path, an
    /// address) stays whole on its own line.
    /// </summary>
    public string FitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (MaxWidth == int.MaxValue)
            return text;
        var fitted = new System.Text.StringBuilder(text.Length + 64);
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            string line = end < 0 ? text[start..] : text[start..end];
            if (line.Length <= MaxWidth)
                fitted.Append(line).Append(end < 0 ? "" : "\n");
            else
                fitted.Append(end < 0 ? Wrap(line).TrimEnd('\n') : Wrap(line));
            if (end < 0)
                break;
            start = end + 1;
        }
        return fitted.ToString();
    }

    /// <summary>
    /// <paramref name="line"/> broken at spaces to fit <paramref name="width"/>, starting with <paramref name="indent"/>;
    /// later lines get <paramref name="hanging"/> more indent. Never narrower than 20 columns of text (a deep indent in a narrow terminal).
    /// Never breaks a number from its unit or label, after an opening parenthesis, or around an arrow between numbers
    /// (<see cref="UnbreakableRuns"/>).
    /// </summary>
    public static string Wrap(string line, int width, string indent, string hanging)
    {
        var text = new System.Text.StringBuilder();
        var current = new System.Text.StringBuilder(indent);
        int words = 0;
        // A run that cannot fit on a line of its own ("(System.Collections.Generic.Dictionary<System.Int64, ...>)")
        // breaks at its spaces after all: a line past the width is worse than a value parted from its unit.
        int room = Math.Max(width, indent.Length + hanging.Length + 20) - indent.Length - hanging.Length;
        foreach (string word in UnbreakableRuns.Of(line).SelectMany(r => r.Length > room && r.Contains(' ') ? r.Split(' ') : [r]))
        {
            if (words > 0 && current.Length + 1 + word.Length > Math.Max(width, indent.Length + hanging.Length + 20))
            {
                // A break where the text had two spaces ("name  (score 0.9)") leaves no space at either end.
                text.Append(current.ToString().TrimEnd(' ')).Append('\n');
                current.Clear().Append(indent).Append(hanging);
                words = 0;
            }
            if (words == 0 && word.Length == 0 && text.Length > 0)
                continue;
            if (words++ > 0)
                current.Append(' ');
            current.Append(word);
        }
        return text.Append(current).Append('\n').ToString();
    }

    internal string Bytes(long bytes) => HumanizeBytes ? ByteSize.Format(bytes) : TextTable.FormatNumber(bytes) + " bytes";
}
