using System.Globalization;

namespace LeakLab.Sample;

/// <summary>The sample program's command line: <c>&lt;scenario&gt; [--fixed] [--rate N] [--payload BYTES] [--ballast N] [--max-items N] [--parent-pid PID]</c>.</summary>
public sealed record SampleOptions
{
    public required string Scenario { get; init; }
    /// <summary>Leaked items per second; 0 leaks nothing.</summary>
    public double Rate { get; init; } = 200;
    /// <summary>Payload bytes per leaked item.</summary>
    public int PayloadBytes { get; init; } = 1024;
    /// <summary>Extra small live objects allocated up front (for benchmarks that need millions of objects).</summary>
    public long Ballast { get; init; }
    /// <summary>Stop leaking after this many items (the process keeps running).</summary>
    public long? MaxItems { get; init; }
    /// <summary>Run the scenario's corrected variant: the same work with the bug fixed, so nothing leaks.</summary>
    public bool Fixed { get; init; }
    /// <summary>Exit when this process is gone (test harnesses pass their own pid so a killed harness leaves no orphan).</summary>
    public int? ParentPid { get; init; }

    public const string Usage =
        "usage: LeakLab.Sample <scenario> [--fixed] [--rate N] [--payload BYTES] [--ballast N] [--max-items N] [--parent-pid PID]";

    /// <summary>Parses the command line; throws <see cref="FormatException"/> with a one-line message on bad input.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> scenarioNames)
    {
        string valid = string.Join(", ", scenarioNames);
        if (args.Count == 0 || args[0].StartsWith('-'))
            throw new FormatException($"missing scenario; valid scenarios: {valid}; {Usage}");
        if (!scenarioNames.Contains(args[0]))
            throw new FormatException($"unknown scenario '{args[0]}'; valid scenarios: {valid}");

        var options = new SampleOptions { Scenario = args[0] };
        for (int i = 1; i < args.Count; i++)
        {
            string name = args[i];
            if (name == "--fixed")
            {
                options = options with { Fixed = true };
                continue;
            }
            if (i + 1 >= args.Count)
                throw new FormatException($"option {name} needs a value; {Usage}");
            string value = args[++i];
            options = name switch
            {
                "--rate" => options with { Rate = ParseNumber(name, value, 0, 1_000_000) },
                "--payload" => options with { PayloadBytes = (int)ParseNumber(name, value, 0, 64 * 1024 * 1024) },
                "--ballast" => options with { Ballast = (long)ParseNumber(name, value, 0, 500_000_000) },
                "--max-items" => options with { MaxItems = (long)ParseNumber(name, value, 0, long.MaxValue) },
                "--parent-pid" => options with { ParentPid = (int)ParseNumber(name, value, 1, int.MaxValue) },
                _ => throw new FormatException($"unknown option '{name}'; valid scenarios: {valid}; {Usage}"),
            };
        }
        return options;
    }

    private static double ParseNumber(string option, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value))
            throw new FormatException($"option {option} needs a number, got '{text}'");
        if (value < min || value > max)
            throw new FormatException($"option {option} must be between {min} and {max}, got {text}");
        return value;
    }
}
