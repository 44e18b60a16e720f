using System.CommandLine;

namespace LeakLab.Cli;

/// <summary><c>leaklab stats FILE [--top N] [--type PATTERN] [--retained] [--json]</c>: objects and bytes per type.</summary>
internal static class StatsCommand
{
    private const int DefaultTop = 30;

    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile();
        Option<int?> top = CommonOptions.Top($"types (default {DefaultTop}; with --json, all)");
        Option<string?> type = new("--type", "-t") { Description = "Only types whose name contains this text (case-insensitive).", HelpName = "PATTERN" };
        Option<bool> retained = new("--retained", "-r") { Description = "Also compute each type's retained size and sort by it (dominator tree; slower). --json always carries retained sizes." };
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("stats", "Objects and bytes per type in a dump or snapshot, largest first.") { file, top, type, retained, json, dac };
        command.SetAction(parse =>
        {
            bool asJson = parse.GetValue(json);
            int? topValue = parse.GetValue(top);
            int rows = CommonOptions.Positive(topValue, "--top", asJson ? int.MaxValue : DefaultTop);
            string? pattern = parse.GetValue(type);
            if (pattern is not null && string.IsNullOrWhiteSpace(pattern))
                throw new UsageException("--type needs part of a type name, e.g. --type CachedOrder");

            // JSON is for tools and CI gates, which want the retained size per type (issue 3); tables stay fast by default.
            bool sortByRetained = parse.GetValue(retained);
            bool withRetained = sortByRetained || asJson;
            IReadOnlyList<TypeStat> stats;
            int typeCount;
            long? unreachable = null;
            LoadReport load;
            if (withRetained)
            {
                var analysis = new HeapAnalysis(context.LoadHeap(parse.GetValue(file)!, parse.GetValue(dac)));
                load = LoadReport.Of(analysis.Graph);
                unreachable = context.Dominators(analysis).UnreachableCount;
                IReadOnlyList<TypeStat> computed = analysis.TypeStats(pattern, withRetained: true);
                stats = sortByRetained ? [.. computed.OrderByDescending(s => s.Retained ?? 0).ThenByDescending(s => s.Bytes)] : computed;
                typeCount = analysis.Graph.TypeCount;
            }
            else
            {
                // Counts and bytes need no graph: one walk of the heap is several times faster than a full load.
                HeapStatistics read = context.ReadTypeStatistics(parse.GetValue(file)!, parse.GetValue(dac));
                IReadOnlyList<TypeStat> all = read.Types;
                load = read.Load;
                typeCount = all.Count;
                stats = pattern is null ? all : [.. all.Where(s => s.Type.Contains(pattern, StringComparison.OrdinalIgnoreCase))];
            }

            if (asJson)
            {
                context.Out.WriteLine(JsonReport.Stats(stats.Take(rows), load));
                return CliApp.Success;
            }
            if (stats.Count == 0 && pattern is not null)
            {
                context.Out.WriteLine($"No type name contains '{pattern}' ({typeCount:N0} types in the dump).");
                return CliApp.Success;
            }
            context.Out.Write(TextReport.Stats(stats, rows, context.TextOptions));
            // stats walks every object, garbage included (like dumpheap -stat); paths, retained and diff see only what a
            // root reaches, so their counts are lower. Say so where the user compares them.
            context.Out.Write(context.TextOptions.Wrap(unreachable switch
            {
                null => "Counts include unreachable objects (garbage the next GC frees); paths, retained and diff count reachable objects only.",
                0 => "Every object is reachable from a root: paths, retained and diff count the same objects.",
                long n => $"Counts include {n:N0} unreachable objects (garbage the next GC frees); retained sizes, paths and diff leave them out.",
            }));
            return CliApp.Success;
        });
        return command;
    }
}
