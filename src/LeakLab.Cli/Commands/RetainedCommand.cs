using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary><c>leaklab retained FILE [--top N] [--json]</c>: what each object, type and root keeps alive (exact, from the dominator tree).</summary>
internal static class RetainedCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile();
        Option<int?> top = CommonOptions.Top($"objects, types and roots each (default {StatsOptions.DefaultTop})");
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("retained", "Top objects, types and roots of a dump or snapshot by retained size: the bytes freed if they went away.") { file, top, json, dac };
        command.SetAction(parse =>
        {
            var options = new RetainedOptions { Top = CommonOptions.Positive(parse.GetValue(top), "--top", StatsOptions.DefaultTop) };
            var analysis = new HeapAnalysis(context.LoadHeap(parse.GetValue(file)!, parse.GetValue(dac)));
            context.Dominators(analysis);
            RetainedSummary summary = RetainedVerb.Run(analysis, options, context.Cancellation);
            if (parse.GetValue(json))
                context.Out.WriteLine(JsonReport.Retained(summary));
            else
                context.Out.Write(TextReport.Retained(summary, context.TextOptions));
            return CliApp.Success;
        });
        return command;
    }
}
