using System.Globalization;

namespace LeakLab.Notebooks.Magic;

/// <summary>The tokens of one subcommand, split into positional arguments and known options.</summary>
internal sealed class MagicArguments
{
    private readonly Dictionary<string, string?> _options;

    internal MagicArguments(MagicSubcommand subcommand, IReadOnlyList<string> positional, Dictionary<string, string?> options, string rawText)
    {
        Subcommand = subcommand;
        Positional = positional;
        _options = options;
        RawText = rawText;
    }

    public MagicSubcommand Subcommand { get; }
    public IReadOnlyList<string> Positional { get; }
    /// <summary>Everything after the subcommand name, untouched (used by sql).</summary>
    public string RawText { get; }

    public string? PositionalAt(int index) => index < Positional.Count ? Positional[index] : null;

    public bool Has(string option) => _options.ContainsKey(option);

    public string? String(string option) => _options.TryGetValue(option, out string? v) ? v : null;

    public int Int(string option, int defaultValue)
    {
        string? text = String(option);
        if (text is null)
            return defaultValue;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value <= 0)
            throw Fail($"{option} needs a positive whole number, not '{text}'");
        return value;
    }

    /// <summary>An object address, hex with or without 0x.</summary>
    public ulong? Address(string option)
    {
        string? text = String(option);
        if (text is null)
            return null;
        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (!ulong.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong value))
            throw Fail($"{option} needs a hex address like 0x7f3a10a2c8, not '{text}'");
        return value;
    }

    /// <summary>A one-line error naming the subcommand, the problem, and its usage.</summary>
    public LeakLabException Fail(string problem) => MagicCommandParser.UsageError(Subcommand, problem);
}
