namespace LeakLab.Engine.Verbs;

/// <summary>Options of <see cref="RetainedVerb"/>.</summary>
public sealed record RetainedOptions
{
    /// <summary>Objects, types and roots each; positive. The default is every table's (<see cref="StatsOptions.DefaultTop"/>).</summary>
    public int Top { get; init; } = StatsOptions.DefaultTop;
}

/// <summary>Top objects, types and roots by exact retained size (the dominator tree): the bytes freed if they went away.</summary>
public static class RetainedVerb
{
    /// <param name="cancel">Stops the dominator tree and the path forest (the host's Ctrl+C or cell cancel).</param>
    /// <exception cref="LeakLabException">Top is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public static RetainedSummary Run(HeapAnalysis analysis, RetainedOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(options);
        int top = VerbOptions.Positive(options.Top, "top");
        DominatorTree tree = analysis.GetDominators(cancel);
        analysis.GetPaths(cancel); // the per-root shares read the path forest
        tree.GetTotals(cancel); // the report's figures: cancellable here, read (or stored) once
        return RetainedSummary.Compute(tree, top);
    }
}
