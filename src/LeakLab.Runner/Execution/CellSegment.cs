namespace LeakLab.Runner;

/// <summary>A piece of a code cell, run in order: C# code, a <c>#!leaklab</c> command, or a line the runner skips.</summary>
internal abstract record CellSegment(int Line);

/// <summary>C# starting at 1-based <paramref name="Line"/> of the cell.</summary>
internal sealed record CSharpSegment(string Code, int Line) : CellSegment(Line);

internal sealed record MagicSegment(string Text, int Line) : CellSegment(Line);

/// <summary>A line with no meaning here (<c>#r "nuget:LeakLab…"</c>, <c>#i</c>): shown as a note.</summary>
internal sealed record SkippedSegment(string Note, int Line) : CellSegment(Line);

internal static class CellSegmenter
{
    /// <summary>Splits a C# cell; throws for a magic command the runner cannot run.</summary>
    public static List<CellSegment> Split(string source)
    {
        var segments = new List<CellSegment>();
        string[] lines = source.Replace("\r\n", "\n").Split('\n');
        var code = new System.Text.StringBuilder();
        int codeStart = 1;
        void FlushCode(int nextLine)
        {
            if (code.ToString().Trim().Length > 0)
                segments.Add(new CSharpSegment(code.ToString(), codeStart));
            code.Clear();
            codeStart = nextLine;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string t = line.Trim();
            int lineNo = i + 1;
            if (MagicCommandParser.IsMagicLine(t))
            {
                FlushCode(lineNo + 1);
                string rest = t["#!leaklab".Length..].Trim();
                if (rest.Equals("sql", StringComparison.OrdinalIgnoreCase) && i + 1 < lines.Length)
                {
                    // "#!leaklab sql" alone on its line: the query is the rest of the cell.
                    segments.Add(new MagicSegment(t + "\n" + string.Join("\n", lines[(i + 1)..]), lineNo));
                    return segments;
                }
                segments.Add(new MagicSegment(t, lineNo));
            }
            else if (IsPackageDirective(t))
            {
                FlushCode(lineNo + 1);
                segments.Add(new SkippedSegment($"ignored `{t}`: the headless runner already references every LeakLab assembly", lineNo));
            }
            else if (t.StartsWith("#!", StringComparison.Ordinal))
            {
                throw new LeakLabException($"line {lineNo}: the headless runner does not support the magic command `{t.Split(' ')[0]}`; remove it, or run this notebook in a .NET Interactive kernel");
            }
            else
            {
                if (code.Length == 0)
                    codeStart = lineNo;
                code.Append(line).Append('\n');
            }
        }
        FlushCode(lines.Length + 1);
        return segments;
    }

    // #r "nuget: ..." and #i "nuget: ..." need a kernel's package manager; #r "path.dll" is plain Roslyn and stays code.
    private static bool IsPackageDirective(string t) =>
        (t.StartsWith("#r ", StringComparison.Ordinal) && t.Contains("nuget:", StringComparison.OrdinalIgnoreCase))
        || t.StartsWith("#i ", StringComparison.Ordinal);
}
