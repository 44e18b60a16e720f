using System.CommandLine;
using LeakLab.Engine;

namespace LeakLab.Cli;

/// <summary><c>leaklab bench FILE [--dac PATH]</c>: LeakLab's load speed against a bare ClrMD loop; the last stdout line is the summary.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile(snapshots: false);
        Option<string?> dac = CommonOptions.Dac();
        var command = new Command("bench", "Measure stats, graph load and dominators against a bare ClrMD heap walk on one dump.") { file, dac };
        command.SetAction(parse =>
        {
            string path = HeapFiles.CheckDump(parse.GetValue(file)!, "bench");
            string? dacPath = parse.GetValue(dac);
            CliContext.RequireDac(dacPath);
            // LoadBenchmark writes its report to the log and ends it with the summary line, which must stay the last line.
            LoadBenchmark.Run(path, context.Out, dacPath);
            return CliApp.Success;
        });
        return command;
    }
}
