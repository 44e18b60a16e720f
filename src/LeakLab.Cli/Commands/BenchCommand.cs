using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab bench load FILE [--dac PATH]</c>: LeakLab's load speed against a bare ClrMD loop; <c>leaklab bench
/// snapshot</c>: EventPipe snapshots at 1M, 5M and 20M objects against dotnet-gcdump (<see cref="SnapshotBench"/>);
/// <c>leaklab bench scale</c>: every command on generated heaps of 1M, 5M and 20M objects against dotnet-dump
/// (<see cref="BenchScale"/>). The last stdout line is the summary.
/// </summary>
/// <remarks>
/// Two subcommands rather than a FILE argument beside a subcommand: that read as "leaklab bench &lt;file&gt; [command]"
/// in the help, as if snapshot followed the file.
/// </remarks>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("bench", "Benchmarks: 'bench load FILE' times loading one dump, 'bench snapshot' times EventPipe snapshots, 'bench scale' times every command on generated heaps.");
        command.Subcommands.Add(Load(context));
        command.Subcommands.Add(Snapshot(context));
        command.Subcommands.Add(Scale(context));
        return command;
    }

    private static Command Load(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile(snapshots: false);
        Option<string?> dac = CommonOptions.Dac();
        var command = new Command("load", "Measure stats, graph load and dominators against a bare ClrMD heap walk on one dump.") { file, dac };
        command.SetAction(parse =>
        {
            string path = HeapFiles.CheckDump(parse.GetValue(file)!, "bench load");
            string? dacPath = parse.GetValue(dac);
            CliContext.RequireDac(dacPath);
            // LoadBenchmark writes its report to the log and ends it with the summary line, which must stay the last line.
            LoadBenchmark.Run(path, context.Out, dacPath);
            return CliApp.Success;
        });
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

    private static Command Scale(CliContext context)
    {
        Option<string?> sizes = new("--sizes") { Description = "Comma-separated heap sizes in objects (default 1000000,5000000,20000000).", HelpName = "N,N,..." };
        Option<string?> dotnetDump = new("--dotnet-dump") { Description = "The dotnet-dump executable (default: .tools/dotnet-dump, then PATH).", HelpName = "PATH" };
        var command = new Command("scale",
            "Generate heaps of 1M, 5M and 20M objects (or --sizes), dump them, and time every command (first and later opens) and its "
            + "peak RSS against dotnet-dump. Needs about 150 bytes of disk per object.") { sizes, dotnetDump };
        command.SetAction(parse =>
        {
            long[] list = parse.GetValue(sizes) is { } text ? ParseSizes(text) : BenchScale.DefaultSizes;
            return BenchScale.Run(context, list, parse.GetValue(dotnetDump));
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
