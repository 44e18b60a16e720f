using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary><c>leaklab dump (--pid N | --name NAME) [-o FILE] [--timeout SECONDS]</c>: writes a heap dump and says where, how big and how long.</summary>
internal static class DumpCommand
{
    public static Command Create(CliContext context)
    {
        Option<int?> pid = new("--pid", "-p") { Description = "Process id to dump.", HelpName = "PID" };
        Option<string?> name = new("--name") { Description = "Process name to dump (must match exactly one .NET process).", HelpName = "NAME" };
        Option<string?> output = new("--output", "-o") { Description = "Dump file to write (default: a new file in the current folder).", HelpName = "FILE" };

        Option<DumpCaptureKind> kind = new("--kind")
        {
            Description = "WithHeap (default: what LeakLab analyses), Full, Mini or Triage.",
            DefaultValueFactory = _ => DumpCaptureKind.WithHeap,
        };

        Option<bool> overwrite = new("--overwrite") { Description = "Replace the output file if it exists." };
        Option<int?> timeout = new("--timeout")
        {
            Description = "Give up on a dump that takes longer, in seconds (default: 60 plus 1 per 10 MB of the process's resident memory).",
            HelpName = "SECONDS",
        };

        var command = new Command("dump", "Write a heap dump of a running .NET process.") { pid, name, output, kind, overwrite, timeout };
        CommonOptions.RequireExactlyOne(command, pid, name, "dump needs exactly one of --pid PID or --name NAME");
        command.SetAction(parse =>
        {
            if (parse.GetValue(timeout) is <= 0)
                throw new UsageException($"--timeout must be a positive number of seconds, got {parse.GetValue(timeout)}");
            TimeSpan? limit = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
            int target = parse.GetValue(pid) ?? DotNetProcesses.FindByName(parse.GetValue(name)!).Pid;
            if (target <= 0)
                throw new UsageException($"--pid must be a positive process id, got {target}");
            string? file = parse.GetValue(output);
            // createdump runs as a child of the target, in its working directory, so a relative path would land there.
            string? path = file is null ? null : Path.GetFullPath(file);

            context.Progress.Phase($"dumping process {target}");
            DumpResult result = DumpCapture.Write(target, path, parse.GetValue(kind), parse.GetValue(overwrite), context.Progress.Note, limit);
            // The progress time covers the heap check too; the line below gives the write alone (the target's freeze),
            // so say what each one measured.
            bool checkedHeap = parse.GetValue(kind) is DumpCaptureKind.WithHeap or DumpCaptureKind.Full;
            context.Progress.Done($"dumped process {target}{(checkedHeap ? " and checked its heap" : "")}");
            context.Out.WriteLine($"Wrote {result.Path}");
            context.Out.WriteLine(FormattableString.Invariant($"  {ByteSize.Format(result.Bytes)} ({result.Bytes:N0} bytes) written in {ProgressLine.Seconds(result.Elapsed)}, process {result.Pid}"));
            if (result.Attempts > 1)
                context.Out.WriteLine($"  (dump {result.Attempts}: the earlier ones caught a garbage collection in the middle and could not have been analysed)");
            return CliApp.Success;
        });
        return command;
    }
}
