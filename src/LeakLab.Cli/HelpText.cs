using System.Text;

namespace LeakLab.Cli;

/// <summary>
/// Fits System.CommandLine's help to a width. The library wraps only to a terminal's width and leaves piped help
/// unwrapped (one line per option, hundreds of columns); a fixed <c>HelpAction.MaxWidth</c> made its own wrapping loop
/// forever on our help. So LeakLab wraps the finished text itself, at spaces, continuation lines indented to the
/// description's column, the way the library lays out help in a terminal.
/// </summary>
internal static class HelpText
{
    /// <summary><paramref name="help"/> with every line longer than <paramref name="width"/> wrapped; other lines as they were.</summary>
    public static string Fit(string help, int width)
    {
        string[] lines = help.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var text = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                text.Append('\n');
            string line = lines[i].TrimEnd();
            if (line.Length <= width)
            {
                text.Append(line);
                continue;
            }
            int indent = line.Length - line.TrimStart().Length;
            int column = DescriptionColumn(line);
            if (column > width - 30)
            {
                // A name too wide to leave room for words ("start <a|b|c|...>"): the name alone, then the description
                // under it, both indented deeper than the entries so they never read as an entry of their own.
                string pad = new(' ', indent);
                int gap = column > indent ? line.LastIndexOf(' ', column - 1) : line.Length;
                string name = line[indent..gap].TrimEnd();
                text.Append(TextReportOptions.Wrap(name, width, pad, "  "));
                if (column < line.Length)
                    text.Append(TextReportOptions.Wrap(line[column..], width, pad + "    ", "").TrimEnd('\n'));
                else
                    text.Length--; // the name's own line break; the loop adds one
                continue;
            }
            string indentText = new(' ', column);
            string wrapped = TextReportOptions.Wrap(line[column..], width, indentText, "").TrimEnd('\n');
            text.Append(line.AsSpan(0, column)).Append(wrapped.AsSpan(column));
        }
        return text.ToString();
    }

    /// <summary>
    /// Where the description starts in "  --top, -n &lt;N&gt;  Rows to show": after the first run of two or more spaces
    /// that follows text; the line's own indent when there is no such run (a paragraph).
    /// </summary>
    private static int DescriptionColumn(string line)
    {
        int start = line.Length - line.TrimStart().Length;
        int gap = line.IndexOf("  ", start, StringComparison.Ordinal);
        if (gap < 0)
            return start;
        int column = gap;
        while (column < line.Length && line[column] == ' ')
            column++;
        return column < line.Length ? column : start;
    }
}
