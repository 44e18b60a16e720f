using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Commands;

namespace LeakLab.Interactive;

/// <summary>
/// The <c>#!leaklab</c> lines of one cell, in order, for the handlers to read their own text from. The kernel's
/// parser splits a directive its own way (it drops all but one positional word, reads '[' as JSON, and a subcommand
/// with nothing after it arrives as bare "#!leaklab"), so LeakLab parses the line as written: the kernel runs a cell's
/// directives one after another in cell order, so the n-th handler call of a cell is its n-th <c>#!leaklab</c> line.
/// </summary>
internal sealed partial class CellDirectives
{
    private readonly string[] _lines;
    private readonly int[] _directiveLines;
    private int _next;

    public CellDirectives(string code)
    {
        _lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        // As the kernel's parser: a directive starts at column 0 of a line.
        _directiveLines = [.. Enumerable.Range(0, _lines.Length).Where(i => MagicCommandParser.IsMagicLine(_lines[i]) && _lines[i].StartsWith('#'))];
    }

    /// <summary>A directive command that did not come from a cell: only the kernel's own text of it is known.</summary>
    public static CellDirectives Standalone(KernelCommand command) => new(KernelText(command) ?? MagicCommandParser.Prefix);

    /// <summary>
    /// The next <c>#!leaklab</c> line of the cell and the index of that line. <paramref name="command"/>'s own text (what
    /// the kernel shows as "Directive: …") must start that line; if it does not, the first later line it starts is used.
    /// </summary>
    public (string Line, int Index) Next(KernelCommand command)
    {
        string? kernelText = KernelText(command);
        lock (_lines)
        {
            for (int k = _next; k < _directiveLines.Length; k++)
            {
                string line = _lines[_directiveLines[k]].TrimEnd();
                if (kernelText is null || line.StartsWith(kernelText, StringComparison.Ordinal))
                {
                    _next = k + 1;
                    return (line, _directiveLines[k]);
                }
            }
        }
        // Not found in the cell (a host that builds commands itself): the kernel's text is all there is.
        return (kernelText ?? MagicCommandParser.Prefix, -1);
    }

    /// <summary>
    /// The lines after line <paramref name="index"/> up to the next line the kernel reads as a directive (<c>#!…</c>,
    /// <c>#r</c>, <c>#i</c>): what the kernel would otherwise submit to the C# kernel.
    /// </summary>
    public string LinesAfter(int index)
    {
        if (index < 0)
            return "";
        int end = index + 1;
        while (end < _lines.Length && !DirectiveStart().IsMatch(_lines[end]))
            end++;
        return string.Join('\n', _lines[(index + 1)..end]);
    }

    private static string? KernelText(KernelCommand command)
    {
        const string prefix = "Directive: ";
        string? shown = command.ToString();
        return shown is not null && shown.StartsWith(prefix, StringComparison.Ordinal) ? shown[prefix.Length..].Trim() : null;
    }

    [GeneratedRegex(@"^#(!|[ri](?![\p{L}\p{Nd}]))")]
    private static partial Regex DirectiveStart();
}
