using System.Text.RegularExpressions;
using LeakLab.IntegrationTests.Notebooks;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// Every leaf command's <c>--help</c> options and the README's synopsis line for it (<c>### `leaklab CMD ...`</c>) name the
/// same options, so neither drifts from the other. Options every command takes are documented once, in the Commands
/// paragraph, and checked there.
/// </summary>
public sealed partial class ReadmeSynopsisTests
{
    // Taken by every command (or every dump-reading one) and documented once above the synopses.
    private static readonly string[] s_shared = ["--verbose", "--width", "--full-names", "--dac"];
    private static readonly string[] s_helpOptions = ["-?", "-h", "--help"];

    [Fact]
    public void Each_commands_help_options_match_its_readme_synopsis()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var problems = new List<string>();
        foreach (string command in LeafCommands([]))
        {
            string? synopsis = Synopsis(readme, command);
            if (synopsis is null)
            {
                problems.Add($"README has no '### `leaklab {command} ...`' synopsis");
                continue;
            }
            string[] documented = [.. OptionToken().Matches(synopsis).Select(m => m.Value)];
            foreach (string[] aliases in HelpOptions(command))
            {
                if (aliases.Any(a => s_helpOptions.Contains(a) || s_shared.Contains(a)))
                    continue;
                if (!aliases.Any(documented.Contains))
                    problems.Add($"'leaklab {command}' has {string.Join(", ", aliases)} but the README synopsis does not: {synopsis}");
            }
            string[] known = [.. HelpOptions(command).SelectMany(a => a)];
            foreach (string token in documented.Where(t => !known.Contains(t)))
                problems.Add($"the README synopsis of 'leaklab {command}' names {token}, which its --help does not have");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_shared_options_are_documented_once_above_the_synopses()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        string commands = readme[readme.IndexOf("## Commands", StringComparison.Ordinal)..readme.IndexOf("### `leaklab ", StringComparison.Ordinal)];
        foreach (string option in s_shared)
            Assert.Contains(option, commands);
        // And every command that reads a dump really takes --dac.
        foreach (string command in new[] { "stats", "paths", "roots", "retained", "diff", "demo", "bench load" })
            Assert.Contains(HelpOptions(command), aliases => aliases.Contains("--dac"));
    }

    /// <summary>Command paths ("ps", "sample start") that have no subcommands, from the help of the root downwards.</summary>
    private static IEnumerable<string> LeafCommands(string[] path)
    {
        string[] children = [.. Section(Help(path), "Commands:").Select(l => l.TrimStart().Split(' ')[0])];
        if (children.Length == 0)
        {
            yield return string.Join(' ', path);
            yield break;
        }
        foreach (string child in children)
        {
            foreach (string leaf in LeafCommands([.. path, child]))
                yield return leaf;
        }
    }

    private static List<string[]> HelpOptions(string command) =>
        [.. Section(Help(command.Split(' ')), "Options:")
            .Select(l => OptionToken().Matches(Regex.Split(l.Trim(), @"\s{2,}")[0]).Select(m => m.Value).ToArray())
            .Where(a => a.Length > 0)];

    private static string Help(string[] path)
    {
        CliResult result = CliRun.InProcess([.. path, "--help"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    /// <summary>
    /// The entries under a help heading ("Options:"), up to the next blank line: lines indented two spaces; lines
    /// indented further continue a wrapped description.
    /// </summary>
    private static IEnumerable<string> Section(string help, string heading) =>
        help.Split('\n').SkipWhile(l => l.Trim() != heading).Skip(1).TakeWhile(l => l.Trim().Length > 0)
            .Where(l => l.Length > 2 && l.StartsWith("  ", StringComparison.Ordinal) && l[2] != ' ');

    /// <summary>Help written to a pipe wraps like help in a terminal: at 120 columns ($COLUMNS when set), descriptions aligned.</summary>
    [Fact]
    public void Piped_help_wraps_at_the_width_with_descriptions_aligned()
    {
        int width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 40 ? columns : 120;
        string help = Help(["inspect"]);
        string[] lines = help.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} columns: {l}"));
        string[] options = [.. Section(help, "Options:")];
        int column = options[0].IndexOf("  ", 2, StringComparison.Ordinal);
        string[] continued = [.. help.Split('\n').SkipWhile(l => l.Trim() != "Options:").Skip(1).TakeWhile(l => l.Trim().Length > 0).Where(l => l.StartsWith("    ", StringComparison.Ordinal))];
        Assert.NotEmpty(continued); // --tables' description is longer than one line
        Assert.All(continued, l => Assert.True(l.Length - l.TrimStart().Length > column, l));
    }

    /// <summary>
    /// The heading <c>### `leaklab CMD ...`</c>; or, for a synopsis too long for one 100-column line, the fenced block
    /// right under a bare <c>### `leaklab CMD`</c> heading, its lines joined.
    /// </summary>
    private static string? Synopsis(string readme, string command)
    {
        string[] lines = readme.Split('\n');
        int at = Array.FindIndex(lines, l => l.StartsWith($"### `leaklab {command} ", StringComparison.Ordinal)
                                             || l.StartsWith($"### `leaklab {command}`", StringComparison.Ordinal));
        if (at < 0)
            return null;
        if (lines[at] != $"### `leaklab {command}`" || at + 1 >= lines.Length || lines[at + 1] != "```")
            return lines[at];
        return string.Join(' ', lines.Skip(at + 2).TakeWhile(l => l != "```").Select(l => l.Trim()));
    }

    [GeneratedRegex(@"(?<![\w-])--?[a-z?][a-z-]*")]
    private static partial Regex OptionToken();
}
