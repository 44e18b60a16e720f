using System.CommandLine;
using System.Globalization;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab ps [--memory] [--pid N] [--json]</c>: the .NET processes this user can diagnose; <c>--memory</c> adds each
/// one's memory from /proc set against its GC heap (<see cref="ProcessMemory"/>).
/// </summary>
internal static class PsCommand
{
    public static Command Create(CliContext context)
    {
        Option<bool> json = CommonOptions.Json();
        Option<bool> memory = new("--memory")
        {
            Description = "Add each process's memory from /proc: resident (RSS), anonymous, file-backed, the GC heap's resident part "
                + "and the anonymous memory beside it (native heaps, stacks), which grows when native memory leaks.",
        };
        Option<int?> pid = new("--pid") { Description = "Only this process.", HelpName = "N" };
        var command = new Command("ps", "List .NET processes (pid, name, command line) that LeakLab can dump; --memory adds their native memory against the GC heap.")
        {
            json, memory, pid,
        };
        command.SetAction(parse =>
        {
            var processes = DotNetProcesses.List(excludeSelf: true);
            if (parse.GetValue(pid) is int only)
            {
                processes = [.. processes.Where(p => p.Pid == only)];
                if (processes.Count == 0)
                {
                    // A dead or non-.NET pid is not a usage error: the same answer and exit code (1) as dump and snapshot.
                    DumpCapture.RequireDotNetTarget(only);
                    throw new LeakLabException(LeakLabErrorKind.ProcessGone, $"process {only} is not a .NET process LeakLab can list; run 'leaklab ps' to list them");
                }
            }
            bool withMemory = parse.GetValue(memory);
            // A process can exit between the listing and the read: it is listed without memory.
            var rows = processes.Select(p => (Info: p, Memory: withMemory ? ProcMemory.TryRead(p.Pid) : null)).ToList();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonReport.Processes(rows.Select(r => (r.Info.Pid, r.Info.Name, r.Info.CommandLine, r.Memory)), withMemory));
                return CliApp.Success;
            }
            if (rows.Count == 0)
            {
                context.Out.WriteLine("No .NET process found (LeakLab sees processes of the same user that have a diagnostics socket).");
                return CliApp.Success;
            }
            TextTable table = withMemory
                ? context.TextOptions.Table(new("PID", ColumnKind.Number), new("Name"), new("RSS", ColumnKind.Number), new("GC heap", ColumnKind.Number),
                    new("Beside GC", ColumnKind.Number), new("File-backed", ColumnKind.Number), new("Command line"))
                : context.TextOptions.Table(new("PID", ColumnKind.Number), new("Name"), new("Command line"));
            foreach (var (p, m) in rows)
            {
                string id = p.Pid.ToString(CultureInfo.InvariantCulture);
                if (!withMemory)
                    table.AddRow(id, p.Name, p.CommandLine);
                else
                    table.AddRow(id, p.Name, Size(m?.ResidentBytes), Size(m?.GcHeapBytes), Size(m?.NonGcBytes), Size(m?.FileBackedBytes), p.CommandLine);
            }
            context.Out.Write(table.Render());
            if (withMemory)
                context.Out.WriteLine("Beside GC: anonymous memory outside the GC heap (native heaps, stacks, runtime data); ? = unreadable.");
            return CliApp.Success;
        });
        return command;
    }

    private static string Size(long? bytes) => bytes is long b ? ByteSize.Format(b) : "?";
}
