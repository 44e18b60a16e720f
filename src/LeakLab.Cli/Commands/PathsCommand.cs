using System.CommandLine;
using System.Globalization;

namespace LeakLab.Cli;

/// <summary><c>leaklab paths FILE (--type T | --address A) [--limit N] [--json]</c>: why objects are still alive.</summary>
internal static class PathsCommand
{
    private const int DefaultLimit = 10;

    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile();
        Option<string?> type = new("--type", "-t") { Description = "Paths to every instance of this type: its full or short name (CachedOrder), else every type whose name contains it.", HelpName = "TYPE" };
        Option<string?> address = new("--address", "-a") { Description = "The path to one object, by hex address (with or without 0x).", HelpName = "ADDRESS" };
        Option<int?> limit = new("--limit", "-l") { Description = $"Show at most this many distinct path shapes (default {DefaultLimit}).", HelpName = "N" };
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("paths", "Shortest retention paths from named roots (static fields, handles, stacks) to objects, grouped by shape. Paths in a snapshot show '?' for fields (EventPipe does not name them).")
        {
            file, type, address, limit, json, dac,
        };
        CommonOptions.RequireExactlyOne(command, type, address, "paths needs exactly one of --type TYPE or --address ADDRESS");
        command.SetAction(parse =>
        {
            int shapes = CommonOptions.Positive(parse.GetValue(limit), "--limit", DefaultLimit);
            string? typeName = parse.GetValue(type);
            if (typeName is not null && string.IsNullOrWhiteSpace(typeName))
                throw new UsageException("--type needs a type name or part of one, e.g. --type CachedOrder");
            string? addressText = parse.GetValue(address);
            ulong? target = addressText is null ? null : ParseAddress(addressText);

            var analysis = new HeapAnalysis(context.LoadHeap(parse.GetValue(file)!, parse.GetValue(dac)));
            HeapGraph graph = analysis.Graph;
            if (target is ulong a && graph.FindNode(a) < 0)
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"0x{a:x} is not the address of an object in this dump; take an address from 'leaklab retained FILE' or from a path's example.");

            context.Progress.Phase("computing shortest paths from the roots");
            TypeMatches? matches = typeName is null ? null : TypeMatches.Find(analysis, typeName);
            if (matches is { Types.Count: 0 })
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"no type in the dump matches '{typeName}'; list the types with 'leaklab stats FILE --type PART_OF_NAME'.");
            // The attributed shapes (the lasting root wins), then the shorter paths from stack frames they leave out.
            IReadOnlyList<RetentionPath> paths = target is ulong addr
                ? analysis.Paths.PathsToAddress(addr)
                : [.. matches!.Rank(analysis.Paths.PathsToType(matches.PathPattern, shapes)), .. analysis.Paths.FurtherPathsToType(matches.PathPattern, shapes)];
            context.Progress.Done($"found {paths.Count:N0} path shape{(paths.Count == 1 ? "" : "s")}");

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonReport.Paths(paths, LoadReport.Of(graph)));
                return CliApp.Success;
            }
            if (matches is not null)
                context.Out.Write(matches.Describe(context.TextOptions));
            context.Out.Write(TextReport.Paths(paths, context.TextOptions));
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
