namespace LeakLab.Engine;

/// <summary>Options of <see cref="RetainedVerb"/>.</summary>
public sealed record RetainedOptions
{
    /// <summary>Objects, types and roots each; positive. The default is every table's (<see cref="StatsOptions.DefaultTop"/>).</summary>
    public int Top { get; init; } = StatsOptions.DefaultTop;
}

/// <summary>Top objects, types and roots by exact retained size (the dominator tree): the bytes freed if they went away.</summary>
public static class RetainedVerb
{
    /// <exception cref="LeakLabException">Top is not positive.</exception>
    public static RetainedSummary Run(HeapAnalysis analysis, RetainedOptions options)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(options);
        return RetainedSummary.Compute(analysis.Dominators, VerbOptions.Positive(options.Top, "top"));
    }
}
