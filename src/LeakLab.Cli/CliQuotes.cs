using System.Text.RegularExpressions;

namespace LeakLab.Cli;

/// <summary>
/// The CLI's one quoting convention: commands, options and names in messages are quoted with single quotes
/// (<c>run 'leaklab ps' to list them</c>, <c>no type matches 'Nope'</c>), as git and the shell do, never with backticks.
/// </summary>
/// <remarks>
/// The libraries' messages also reach notebooks, where a backticked command renders as code, so several quote commands
/// in backticks (<c>`leaklab dump --pid N`</c>). The CLI turns exactly those into its own quotes at output; a backtick
/// elsewhere (reflection names such as <c>Dictionary`2</c>, WinDbg addresses) is left alone.
/// </remarks>
internal static partial class CliQuotes
{
    /// <summary><paramref name="text"/> with every backticked command (<c>`leaklab ...`</c>, <c>`dotnet ...`</c>, <c>`#!leaklab ...`</c>) in single quotes.</summary>
    public static string Apply(string text) =>
        text.Contains('`', StringComparison.Ordinal) ? BacktickedCommand().Replace(text, "'$1'") : text;

    [GeneratedRegex(@"`((?:leaklab|dotnet|#!leaklab)\b[^`\n]*)`")]
    private static partial Regex BacktickedCommand();
}
