using System.CommandLine;

namespace LeakLab.Cli;

/// <summary>Options several commands share, created fresh per command (a symbol belongs to one parser tree).</summary>
internal static class CommonOptions
{
    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Print stack traces with errors, and more detail on stderr.",
        Recursive = true,
    };

    /// <summary>Table width in columns; default: the terminal's width, COLUMNS, or 120 when output is piped.</summary>
    public static Option<int?> Width() => new("--width")
    {
        Description = "Fit tables to this many columns (default: the terminal's width, else $COLUMNS, else 120 when piped).",
        HelpName = "N",
        Recursive = true,
    };

    public static Option<bool> FullNames() => new("--full-names")
    {
        Description = "Show full type names with namespaces in tables and paths (JSON always has them).",
        Recursive = true,
    };

    public static Option<string?> Dac() => new("--dac")
    {
        Description = "Path of libmscordaccore.so (or mscordaccore.dll) matching the dump's runtime, when the one the dump names is missing.",
        HelpName = "PATH",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON to stdout instead of tables (progress still goes to stderr).",
    };

    public static Option<int?> Top(string what) => new("--top", "-n")
    {
        Description = $"Show at most this many {what}.",
        HelpName = "N",
    };

    /// <param name="snapshots">Whether the command also reads LeakLab heap snapshots (.llhg); only <c>bench</c> does not.</param>
    public static Argument<string> DumpFile(bool snapshots = true) => new("FILE") // the usage line shows the name: "stats <FILE>", as the help lists it
    {
        Description = snapshots
            ? "A heap dump (from 'leaklab dump', dotnet-dump or createdump) or a heap snapshot (.llhg, from 'leaklab snapshot')."
            : "A heap dump (from 'leaklab dump', dotnet-dump or createdump).",
        HelpName = "FILE",
    };

    /// <summary>Reads an optional positive count; zero or less is a usage error.</summary>
    public static int Positive(int? value, string option, int fallback)
    {
        if (value is null)
            return fallback;
        if (value <= 0)
            throw new UsageException($"{option} must be a positive number, got {value}");
        return value.Value;
    }

    /// <summary>Adds a usage check that exactly one of two options is given, e.g. <c>--pid</c> or <c>--name</c>.</summary>
    public static void RequireExactlyOne(Command command, Option first, Option second, string message) =>
        command.Validators.Add(result =>
        {
            if ((result.GetResult(first) is not null) == (result.GetResult(second) is not null))
                result.AddError(message);
        });
}
