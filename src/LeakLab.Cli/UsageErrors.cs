using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LeakLab.Cli;

/// <summary>
/// Parse errors in plain words, with what the user probably meant and the help of the command they typed:
/// a type name without <c>--type</c>, a dump file name without <c>-o</c>, a missing FILE, a number too large.
/// </summary>
internal static partial class UsageErrors
{
    /// <summary>One line: the most useful error, a guess at what was meant, and "(see 'leaklab CMD --help')".</summary>
    public static string Describe(ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        string name = CommandPath(parsed.CommandResult);
        ParseError error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
        string message = MessageText.OneLine(error.Message);

        if (Unrecognized().Match(message) is { Success: true } unknown)
            message = ExtraWord(command, name, unknown.Groups[1].Value);
        else if (OptionValueMissing().Match(message) is { Success: true } bare)
            message = $"{bare.Groups[1].Value} needs a value, e.g. {Example(command, bare.Groups[1].Value)}";
        else if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
            message = MissingArgument(command, name);
        else if (message.StartsWith("Required command was not provided", StringComparison.Ordinal) && command.Subcommands.Count > 0)
            message = $"'{name}' needs a command, one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        else if (BadValue().Match(message) is { Success: true } bad)
            message = BadNumber(bad.Groups[2].Value, bad.Groups[1].Value, bad.Groups[3].Value);
        else if (NotAChoice().Match(error.Message) is { Success: true } choice)
            message = NotOneOf(command, choice.Groups[1].Value, [.. Quoted().Matches(choice.Groups[2].Value).Select(m => m.Groups[1].Value)]);
        return $"{message} {HelpHint(name)}";
    }

    /// <summary>"(see 'leaklab paths --help')", or the top-level help for the root command.</summary>
    public static string HelpHint(string commandPath) => $"(see '{commandPath} --help')";

    /// <summary>"leaklab paths" for the paths command, "leaklab" for the root.</summary>
    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult { Command: var c } && c is not RootCommand)
                names.Insert(0, c.Name);
        }
        return string.Join(' ', ["leaklab", .. names]);
    }

    private static string ExtraWord(Command command, string name, string word)
    {
        if (command is RootCommand)
            return $"'{word}' is not a leaklab command" + DidYouMean(word, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        if (word.StartsWith('-'))
            return $"'{word}' is not an option of '{name}'";
        if (HasOption(command, "--type"))
            return $"'{word}' is an extra argument to '{name}'; to ask about a type, write --type {word}";
        if (HasOption(command, "--output"))
            return $"'{word}' is an extra argument to '{name}'; to name the file to write, write -o {word}";
        return $"'{word}' is an extra argument to '{name}'";
    }

    /// <summary>"'nosuch' is not a scenario; choose one of: a, b" for an argument limited to a list of values.</summary>
    private static string NotOneOf(Command command, string word, string[] choices)
    {
        string what = command.Arguments.FirstOrDefault()?.HelpName?.ToLowerInvariant() ?? "value";
        string guess = DidYouMean(word, choices);
        return guess.Length > 0 ? $"'{word}' is not a {what}{guess}" : $"'{word}' is not a {what}; choose one of: {string.Join(", ", choices)}";
    }

    /// <summary>"; did you mean 'stats'?" when a known name is one typo away, else "".</summary>
    private static string DidYouMean(string word, IEnumerable<string> names) =>
        NearestName.Of(word, names) is { } near ? $"; did you mean '{near}'?" : "";

    private static string MissingArgument(Command command, string name)
    {
        Argument? argument = command.Arguments.FirstOrDefault();
        string what = argument?.HelpName switch
        {
            "FILE" => "a dump or snapshot file",
            "NOTEBOOK" => "a notebook file",
            { } help => help,
            null => "an argument",
        };
        string synopsis = argument is null ? name : $"{name} {argument.HelpName ?? argument.Name.ToUpperInvariant()}";
        return $"'{name}' needs {what}: {synopsis}";
    }

    private static string BadNumber(string option, string value, string type)
    {
        if (!type.Contains("Int", StringComparison.Ordinal))
            return $"{option} needs a value of another kind, got '{value}'";
        if (WholeNumber().IsMatch(value))
        {
            string limit = int.MaxValue.ToString("N0", CultureInfo.InvariantCulture);
            return value.TrimStart().StartsWith('-')
                ? $"{option} {value} is too small; it must be a positive number"
                : $"{option} {value} is too large; the most it takes is {limit}";
        }
        return $"{option} needs a whole number, got '{value}'";
    }

    /// <summary>"--top 20": the option with its help name as a placeholder.</summary>
    private static string Example(Command command, string option)
    {
        Option? found = command.Options.FirstOrDefault(o => o.Name == option || o.Aliases.Contains(option));
        return $"{option} {found?.HelpName ?? "VALUE"}";
    }

    private static bool HasOption(Command command, string option) =>
        command.Options.Any(o => o.Name == option || o.Aliases.Contains(option));

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.?$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Required argument missing for option: '(.*)'\.?$")]
    private static partial Regex OptionValueMissing();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.$")]
    private static partial Regex BadValue();

    [GeneratedRegex(@"^Argument '(.*?)' not recognized\. Must be one of:(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAChoice();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^\s*[+-]?\d+\s*$")]
    private static partial Regex WholeNumber();
}
