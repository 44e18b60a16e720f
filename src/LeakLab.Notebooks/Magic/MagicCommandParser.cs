namespace LeakLab.Notebooks.Magic;

/// <summary>
/// Parses and validates <c>#!leaklab SUBCOMMAND ARGS</c> text into a typed <see cref="MagicCommand"/>.
/// Every host (headless runner, .NET Interactive extension, plain C#) goes through this, so they accept and
/// reject exactly the same text, with the same one-line messages.
/// </summary>
internal sealed class MagicCommandParser
{
    public const string Prefix = "#!leaklab";

    public MagicCommandParser(MagicCommandRegistry? registry = null) => Registry = registry ?? MagicCommandRegistry.Default;

    public MagicCommandRegistry Registry { get; }

    /// <summary>True for a line that starts with <c>#!leaklab</c> (then whitespace or the end).</summary>
    public static bool IsMagicLine(string line)
    {
        string t = line.TrimStart();
        return t.StartsWith(Prefix, StringComparison.Ordinal) && (t.Length == Prefix.Length || char.IsWhiteSpace(t[Prefix.Length]));
    }

    /// <summary>
    /// Parses one command. <paramref name="text"/> may start with <c>#!leaklab</c>; for <c>sql</c> it may span
    /// several lines (the query is everything after the word sql).
    /// </summary>
    public MagicCommand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string body = text.Trim();
        if (IsMagicLine(body))
            body = body[Prefix.Length..].TrimStart();
        if (body.Length == 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"{Prefix}: a subcommand is missing. Usage: {Registry.Usage}");

        int nameEnd = 0;
        while (nameEnd < body.Length && !char.IsWhiteSpace(body[nameEnd]))
            nameEnd++;
        string name = body[..nameEnd];
        string rest = body[nameEnd..].Trim();
        MagicSubcommand subcommand = Registry.Find(name)
            ?? throw new LeakLabException(LeakLabErrorKind.BadArgument, $"{Prefix}: unknown subcommand '{name}'. Usage: {Registry.Usage}");

        if (subcommand.TakesRawText)
            return ParseRawText(subcommand, rest);

        if (rest.Contains('\n'))
            throw UsageError(subcommand, "it must fit on one line");
        var positional = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var tokens = MagicTokenizer.Split(rest);
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                string optionName = token;
                string? inlineValue = null;
                int eq = token.IndexOf('=');
                if (eq > 0)
                {
                    optionName = token[..eq];
                    inlineValue = token[(eq + 1)..];
                }
                MagicOption option = subcommand.AllOptions.FirstOrDefault(o => string.Equals(o.Name, optionName, StringComparison.OrdinalIgnoreCase))
                    ?? throw UsageError(subcommand, $"unknown option '{optionName}'");
                if (options.ContainsKey(option.Name))
                    throw UsageError(subcommand, $"{option.Name} is given twice");
                if (option.IsFlag)
                {
                    if (inlineValue is not null)
                        throw UsageError(subcommand, $"{option.Name} takes no value");
                    options[option.Name] = null;
                }
                else
                {
                    string? value = inlineValue;
                    if (value is null)
                    {
                        if (i + 1 >= tokens.Count || (tokens[i + 1].StartsWith("--", StringComparison.Ordinal) && tokens[i + 1].Length > 2))
                            throw UsageError(subcommand, $"{option.Name} needs a value ({option.ValueName})");
                        value = tokens[++i];
                    }
                    options[option.Name] = value;
                }
            }
            else
            {
                positional.Add(token);
            }
        }
        if (positional.Count > subcommand.MaxPositional)
        {
            string extra = positional[subcommand.MaxPositional];
            throw UsageError(subcommand, subcommand.MaxPositional == 0
                ? $"it takes no positional argument, but got '{extra}'"
                : $"unexpected argument '{extra}'");
        }
        return WithTo(subcommand.Parse(new MagicArguments(subcommand, positional, options, rest)), subcommand, options.GetValueOrDefault(MagicSubcommand.ToOption.Name));
    }

    /// <summary>A raw-text subcommand (sql): options may only lead (<c>--to NAME</c>), the rest is taken verbatim, newlines included.</summary>
    private static MagicCommand ParseRawText(MagicSubcommand subcommand, string rest)
    {
        string? to = null;
        string body = rest;
        while (body.StartsWith("--", StringComparison.Ordinal))
        {
            int end = 0;
            while (end < body.Length && !char.IsWhiteSpace(body[end]))
                end++;
            string optionName = body[..end];
            if (optionName != MagicSubcommand.ToOption.Name || !subcommand.HasTable)
                throw UsageError(subcommand, $"unknown option '{optionName}'");
            if (to is not null)
                throw UsageError(subcommand, $"{optionName} is given twice");
            string afterName = body[end..];
            string trimmed = afterName.TrimStart(' ', '\t');
            int valueEnd = 0;
            while (valueEnd < trimmed.Length && !char.IsWhiteSpace(trimmed[valueEnd]))
                valueEnd++;
            if (valueEnd == 0)
                throw UsageError(subcommand, $"{optionName} needs a value ({MagicSubcommand.ToOption.ValueName})");
            to = trimmed[..valueEnd];
            body = trimmed[valueEnd..].TrimStart();
        }
        return WithTo(subcommand.Parse(new MagicArguments(subcommand, [], [], body)), subcommand, to);
    }

    private static MagicCommand WithTo(MagicCommand command, MagicSubcommand subcommand, string? to)
    {
        if (to is null)
            return command;
        if (!IsIdentifier(to))
            throw UsageError(subcommand, $"--to needs a C# variable name (letters, digits, _), not '{to}'");
        return command with { To = to };
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    /// <summary>"#!leaklab stats: PROBLEM. Usage: ...": the one line every bad argument fails with.</summary>
    public static LeakLabException UsageError(MagicSubcommand subcommand, string problem) =>
        new(LeakLabErrorKind.BadArgument, $"{Prefix} {subcommand.Name}: {problem}. Usage: {subcommand.Usage}");
}
