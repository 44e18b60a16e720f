using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary><c>leaklab stats FILE [--top N] [--type PATTERN] [--retained] [--json]</c>: objects and bytes per type.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile();
        Option<int?> top = CommonOptions.Top($"types (default {StatsOptions.DefaultTop}; with --json, all)");
        Option<string?> type = new("--type", "-t") { Description = "Only types this pattern matches: the full name (also reflection-style, Dictionary`2[...]), the short name, or part of a name (any case); exact matches first.", HelpName = "PATTERN" };
        Option<bool> retained = new("--retained", "-r") { Description = "Also compute each type's retained size and sort by it (dominator tree; slower). --json always carries retained sizes." };
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("stats", "Objects and bytes per type in a dump or snapshot, largest first.") { file, top, type, retained, json, dac };
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            string? pattern = parse.GetValue(type);
            if (pattern is not null && string.IsNullOrWhiteSpace(pattern))
                throw new UsageException("--type needs part of a type name, e.g. --type CachedOrder");
            var options = new StatsOptions
            {
                Top = CommonOptions.Positive(parse.GetValue(top), "--top", asJson ? int.MaxValue : StatsOptions.DefaultTop),
                Type = pattern,
                Retained = parse.GetValue(retained),
                // JSON is for tools and CI gates, which want the retained size per type (issue 3); tables stay fast by default.
                IncludeRetained = asJson,
            };
            StatsAnswer answer;
            if (options.Retained || options.IncludeRetained)
            {
                var analysis = new HeapAnalysis(context.LoadHeap(parse.GetValue(file)!, parse.GetValue(dac)));
                context.Dominators(analysis);
                answer = StatsVerb.Run(analysis, options, context.Cancellation);
            }
            else
            {
                // Counts and bytes need no graph: one walk of the heap is several times faster than a full load.
                answer = StatsVerb.Run(context.ReadTypeStatistics(parse.GetValue(file)!, parse.GetValue(dac)), options);
            }

            if (asJson)
            {
                context.Out.WriteLine(JsonReport.Stats(answer.Shown, answer.Load));
                return CliApp.Success;
            }
            if (answer.Rows.Count == 0 && pattern is not null)
            {
                context.Out.WriteLine($"No type name matches '{pattern}' ({answer.TypeCount:N0} types in the dump).");
                return CliApp.Success;
            }
            context.Out.Write(TextReport.Stats(answer.Rows, answer.Top, context.TextOptions));
            // stats walks every object, garbage included (like dumpheap -stat); paths, retained and diff see only what a
            // root reaches, so their counts are lower. Say so where the user compares them.
            context.Out.Write(context.TextOptions.Wrap(answer.Unreachable switch
            {
                null => "Counts include unreachable objects (garbage the next GC frees); paths, retained and diff count reachable objects only.",
                0 => "Every object is reachable from a root: paths, retained and diff count the same objects.",
                // The count is the whole heap's: under --type it is not these rows' share, so say whose it is.
                long n when pattern is not null => $"Counts include unreachable objects (garbage the next GC frees; {n:N0} in the whole heap); retained sizes, paths and diff leave them out.",
                long n => $"Counts include {n:N0} unreachable objects (garbage the next GC frees); retained sizes, paths and diff leave them out.",
            }));
            return CliApp.Success;
        });
        return command;
    }
}
