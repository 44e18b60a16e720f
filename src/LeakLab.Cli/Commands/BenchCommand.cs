using System.CommandLine;

namespace LeakLab.Cli;

/// <summary><c>leaklab bench FILE</c>: LeakLab's load speed against a bare ClrMD loop; the last stdout line is the summary.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile(snapshots: false);
        var command = new Command("bench", "Measure stats, graph load and dominators against a bare ClrMD heap walk on one dump.") { file };
        command.SetAction(parse =>
        {
            string path = DumpFiles.CheckDump(parse.GetValue(file)!, "bench");
            // LoadBenchmark writes its report to the log and ends it with the summary line, which must stay the last line.
            LoadBenchmark.Run(path, context.Out);
            return CliApp.Success;
        });
        return command;
    }
}
