using System.CommandLine;
using System.Globalization;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab inspect FILE... [--json] [--tables]</c>: runs every inspection over one dump or snapshot, or better a
/// series of one process (oldest first), and prints the findings most serious first, each with its evidence and fix;
/// <c>--tables</c> prints the runtime tables read from the dumps instead (JSON).
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string[]> files = new("FILE") // the usage line shows the name, the help HelpName: both "<FILE>"
        {
            Description = "One or more dumps or snapshots (.llhg) of the same process, oldest first; a series shows growth, dumps add runtime tables.",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
        };
        Option<bool> json = CommonOptions.Json();
        Option<bool> tables = new("--tables")
        {
            Description = "Print the runtime tables of each dump as JSON (finalizer queue, GC handles, timers, threads, pending tasks, "
                + "token-source registrations, SafeHandles, memory) instead of findings.",
        };
        Option<string?> dac = CommonOptions.Dac();
        var command = new Command("inspect",
            "Name the cause of a leak: inspections for the documented scenarios S01-S15 (static collections, events, timers, token sources, "
            + "channels, threads, finalizer queue, GC handles, SafeHandles...), most serious finding first, each with evidence and a fix.")
        {
            files, json, tables, dac,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(files)?.GroupBy(Path.GetFullPath).FirstOrDefault(g => g.Count() > 1) is { } twice)
                result.AddError($"'{twice.Key}' is given twice; inspect takes different snapshots of one process, oldest first");
        });
        command.SetAction(parse =>
        {
            string[] paths = parse.GetValue(files) ?? [];
            string? dacPath = parse.GetValue(dac);
            HeapFile[] inputs = [.. paths.Select(HeapFiles.Check)];
            if (parse.GetValue(tables))
            {
                if (inputs.FirstOrDefault(i => i.IsSnapshot) is { Path: { } snapshot })
                    throw new UsageException($"--tables reads runtime structures from dumps; '{snapshot}' is an EventPipe snapshot (.llhg), which has none");
                var read = inputs.Select(i => Load(context, i, dacPath).Tables!).ToList();
                context.Out.WriteLine(JsonReport.RuntimeTables(read));
                return CliApp.Success;
            }
            InspectionReport report = Inspect(context, [.. inputs.Select(i => Load(context, i, dacPath))]);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonReport.Findings(report));
                if (report.Order is { } order)
                    context.Error.WriteLine($"leaklab: note: snapshots {order}");
                foreach (InspectionNote note in report.Notes)
                    context.Error.WriteLine($"leaklab: note: {note.Scenario} {note.Inspection}: {note.Text}");
            }
            else
            {
                context.Out.Write(TextReport.Inspect(report, context.TextOptions));
            }
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Runs the inspections with a progress phase; used by <c>inspect</c> and <c>demo</c>.</summary>
    internal static InspectionReport Inspect(CliContext context, IReadOnlyList<InspectionSnapshot> snapshots)
    {
        foreach (InspectionSnapshot snapshot in snapshots)
            context.Dominators(snapshot.Analysis);
        context.Progress.Phase($"running {Inspector.Inspections.Count} inspections over {snapshots.Count} snapshot{(snapshots.Count == 1 ? "" : "s")}");
        InspectionReport report = InspectVerb.Run(snapshots, new InspectOptions(), context.Cancellation);
        context.Progress.Done($"inspections: {report.Findings.Count} finding{(report.Findings.Count == 1 ? "" : "s")}");
        return report;
    }

    /// <summary>A dump with its runtime tables (one opening of the file), or a .llhg snapshot without them.</summary>
    internal static InspectionSnapshot Load(CliContext context, HeapFile input, string? dacPath)
    {
        HeapFiles.RequireDac(dacPath);
        if (input.IsSnapshot)
            return new InspectionSnapshot(new HeapAnalysis(context.LoadHeap(input.Path, dacPath)), null);
        string name = Path.GetFileName(input.Path);
        context.Progress.Phase($"loading {name} and its runtime tables");
        InspectionSnapshot loaded = RuntimeReader.Load(input.Path, new DumpLoadOptions { DacPath = dacPath, Progress = context.Progress, CancellationToken = context.Cancellation });
        context.Progress.Done($"loaded {name}: {loaded.Graph.NodeCount:N0} objects, {loaded.Tables!.Threads.Count} threads, {loaded.Tables.TimerCount:N0} timers");
        context.WarnIfNotClean(name, LoadReport.Of(loaded.Graph));
        return loaded;
    }
}
