using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary><c>leaklab diff A B [C ...] [--json]</c>: what grows across snapshots of one process, suspects first.</summary>
internal static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string[]> files = new("FILE") // the usage line shows the name, the help HelpName: both "<FILE>"
        {
            Description = "Two or more dumps or snapshots (.llhg) of the same process; ordered by the capture times recorded in them, else taken oldest first as given; dumps and snapshots may be mixed.",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
        };
        Option<int?> top = CommonOptions.Top($"rows per table (default {StatsOptions.DefaultTop})");
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("diff",
            "Compare two or more dumps or snapshots of one process (oldest first): types, roots and path shapes that grow. "
            + "When mixing dumps and snapshots, note that EventPipe names nested generic types without their outer type "
            + "(Entry<K, V>[] instead of Dictionary<K, V>+Entry[]), so such types show up as new in one and gone in the other.")
        {
            files, top, json, dac,
        };
        command.Validators.Add(result =>
        {
            string[]? given = result.GetValue(files);
            if (given is { Length: < 2 })
                result.AddError("diff needs at least two dump or snapshot files, oldest first");
            else if (given?.GroupBy(Path.GetFullPath).FirstOrDefault(g => g.Count() > 1) is { } twice)
                result.AddError($"'{twice.Key}' is given twice; diff compares different snapshots of one process, oldest first");
        });
        command.SetAction(parse =>
        {
            var options = new DiffOptions { Top = CommonOptions.Positive(parse.GetValue(top), "--top", StatsOptions.DefaultTop) };
            string[] paths = parse.GetValue(files) ?? [];
            string? dacPath = parse.GetValue(dac);
            foreach (string path in paths)
                HeapFiles.Check(path); // fail on the third file's typo before spending time on the first two

            DiffAnswer answer = GraphIndex.DisabledByEnvironment
                ? Compare(context, [.. paths.Select(p => new HeapAnalysis(context.LoadHeap(p, dacPath)))], options)
                : CompareOneAtATime(context, paths, dacPath, options);
            if (parse.GetValue(json))
                context.Out.WriteLine(JsonReport.Diff(answer.Comparison));
            else
                context.Out.Write(TextReport.Diff(answer.Comparison, answer.Top, context.TextOptions));
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>
    /// One snapshot analysed at a time, the next one loading meanwhile (<see cref="SnapshotPipeline"/>): each is
    /// loaded (from its index; a dump without one is walked once to build it), reduced to its sums and let go; the
    /// sums are then compared in capture order.
    /// </summary>
    private static DiffAnswer CompareOneAtATime(CliContext context, string[] paths, string? dacPath, DiffOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Indexes of dumps read for the first time are written beside the analysis, not in its way: each graph is
        // held for its analysis anyway, and the writes finish before the command returns.
        using IndexWriteBehind behind = IndexWriteBehind.Start();
        SnapshotSums[] sums = SnapshotPipeline.Reduce(paths.Length, i => context.LoadHeap(paths[i], dacPath), graph =>
        {
            // The previous snapshot's arrays are garbage now: free them before this one's analysis allocates, so the
            // peak is one analysis (and the next walk) and not two.
            GC.Collect();
            return SnapshotSums.Of(new HeapAnalysis(graph), context.Cancellation, sideBySide: true);
        }, context.Cancellation);
        // Progress phases are the loader's (the analyses run silently beside them), so the total is timed here.
        var answer = new DiffAnswer(SnapshotComparison.CompareInCaptureOrder(sums), options.Top);
        context.Progress.Note($"compared {paths.Length} snapshots: {answer.Comparison.Types.Count(t => t.Growing):N0} growing types ({ProgressLine.Seconds(clock.Elapsed)})");
        return answer;
    }

    /// <summary>Runs the diff verb with progress phases; used by <c>diff</c> and <c>demo</c>.</summary>
    internal static DiffAnswer Compare(CliContext context, IReadOnlyList<HeapAnalysis> analyses, DiffOptions options)
    {
        foreach (HeapAnalysis analysis in analyses)
            context.Dominators(analysis);
        context.Cancellation.ThrowIfCancellationRequested();
        context.Progress.Phase($"comparing {analyses.Count} snapshots");
        DiffAnswer answer = DiffVerb.Run(analyses, options, context.Cancellation);
        context.Progress.Done($"compared {analyses.Count} snapshots: {answer.Comparison.Types.Count(t => t.Growing):N0} growing types");
        return answer;
    }
}
