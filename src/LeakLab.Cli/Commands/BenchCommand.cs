using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab bench FILE [--dac PATH]</c>: LeakLab's load speed against a bare ClrMD loop; <c>leaklab bench snapshot</c>:
/// EventPipe snapshots at 1M, 5M and 20M objects against dotnet-gcdump (<see cref="SnapshotBench"/>). The last stdout
/// line is the summary.
/// </summary>
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
        command.Subcommands.Add(Snapshot(context));
        return command;
    }

    private static Command Snapshot(CliContext context)
    {
        Option<string?> sizes = new("--sizes")
        {
            Description = "Comma-separated ballast sizes (objects) to measure (default 1000000,5000000,20000000).",
            HelpName = "N,N,...",
        };
        Option<string?> gcdump = new("--gcdump") { Description = "The dotnet-gcdump executable (default: .tools/dotnet-gcdump, then PATH).", HelpName = "PATH" };
        var command = new Command("snapshot",
            "Measure EventPipe heap snapshots of the sample at 1M, 5M and 20M objects against dotnet-gcdump and a dump of the same process. "
            + "Needs several GB of memory for 20M.") { sizes, gcdump };
        command.SetAction(parse =>
        {
            long[] list = parse.GetValue(sizes) is { } text ? ParseSizes(text) : SnapshotBench.DefaultSizes;
            return SnapshotBench.Run(context, list, parse.GetValue(gcdump));
        });
        return command;
    }

    private static long[] ParseSizes(string text)
    {
        var sizes = new List<long>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n) || n is < 1 or > 500_000_000)
                throw new UsageException($"--sizes takes object counts between 1 and 500000000 separated by commas, got '{part}'");
            sizes.Add(n);
        }
        return sizes.Count > 0 ? [.. sizes] : throw new UsageException("--sizes needs at least one object count");
    }
}
