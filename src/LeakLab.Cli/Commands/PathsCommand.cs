using System.CommandLine;
using System.Globalization;

namespace LeakLab.Cli.Commands;

/// <summary><c>leaklab paths FILE (--type T | --address A) [--limit N] [--json]</c>: why objects are still alive.</summary>
internal static class PathsCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile();
        Option<string?> type = new("--type", "-t") { Description = "Paths to every instance of this type: its full name (also reflection-style, Dictionary`2[...]) or short name (CachedOrder), else every type whose name contains it.", HelpName = "TYPE" };
        Option<string?> address = new("--address", "-a") { Description = "The path to one object, by hex address (with or without 0x).", HelpName = "ADDRESS" };
        Option<int?> limit = new("--limit", "-l") { Description = $"Show at most this many distinct path shapes (default {PathsOptions.DefaultLimit}).", HelpName = "N" };
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("paths", "Shortest retention paths from named roots (static fields, handles, stacks) to objects, grouped by shape. Paths in a snapshot show '?' for fields (EventPipe does not name them).")
        {
            file, type, address, limit, json, dac,
        };
        CommonOptions.RequireExactlyOne(command, type, address, "paths needs exactly one of --type TYPE or --address ADDRESS");
        command.SetAction(parse =>
        {
            string? typeName = parse.GetValue(type);
            if (typeName is not null && string.IsNullOrWhiteSpace(typeName))
                throw new UsageException("--type needs a type name or part of one, e.g. --type CachedOrder");
            string? addressText = parse.GetValue(address);
            var options = new PathsOptions
            {
                Type = typeName,
                Address = addressText is null ? null : ParseAddress(addressText),
                Limit = CommonOptions.Positive(parse.GetValue(limit), "--limit", PathsOptions.DefaultLimit),
            };

            var analysis = new HeapAnalysis(context.LoadHeap(parse.GetValue(file)!, parse.GetValue(dac)));
            context.Progress.Phase("computing shortest paths from the roots");
            PathsAnswer answer = PathsVerb.Run(analysis, options, VerbHost.Cli, context.Cancellation);
            context.Progress.Done($"found {answer.Paths.Count:N0} path shape{(answer.Paths.Count == 1 ? "" : "s")}");

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonReport.Paths(answer.Paths, LoadReport.Of(analysis.Graph)));
                return CliApp.Success;
            }
            if (answer.Types is not null)
                context.Out.Write(TextReport.TypeSelection(answer.Types, context.TextOptions));
            context.Out.Write(TextReport.Paths(answer.Paths, context.TextOptions));
            return CliApp.Success;
        });
        return command;
    }

    internal static ulong ParseAddress(string text)
    {
        string digits = text.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            digits = digits[2..];
        digits = digits.Replace("`", "", StringComparison.Ordinal); // WinDbg writes 00007ff8`12345678
        if (digits.Length == 0 || !ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
            throw new UsageException($"--address needs a hex address such as 0x7f3a10a2c8, got '{text}'");
        return value;
    }
}
