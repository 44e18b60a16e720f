namespace LeakLab.Engine.Verbs;

/// <summary>Options of <see cref="StatsVerb"/>.</summary>
public sealed record StatsOptions
{
    /// <summary>
    /// Rows a table shows by default. One default for every table of every host (stats, retained, diff): the CLI
    /// showed 30 stats rows and notebooks 20 before the verbs were shared; 20 fits a terminal screen and a notebook cell.
    /// </summary>
    public const int DefaultTop = 20;

    /// <summary>Rows to show (<see cref="StatsAnswer.Shown"/>); must be positive.</summary>
    public int Top { get; init; } = DefaultTop;

    /// <summary>Only types this <see cref="TypePattern"/> matches in any way, exact matches first; null for every type.</summary>
    public string? Type { get; init; }

    /// <summary>Compute each type's retained size (the dominator tree; slower) and sort by it.</summary>
    public bool Retained { get; init; }

    /// <summary>Compute retained sizes but keep the order by bytes (JSON carries them for tools and CI gates).</summary>
    public bool IncludeRetained { get; init; }
}

/// <summary>What <see cref="StatsVerb"/> found.</summary>
/// <param name="Rows">Every matching type, in display order (exact pattern matches first, then by bytes or retained size).</param>
/// <param name="Top">How many rows to show.</param>
/// <param name="TypeCount">Types in the heap, matched or not (for "no type matches X among N").</param>
/// <param name="Unreachable">Objects no root reaches, when retained sizes were computed; else null.</param>
/// <param name="Load">What the load of the heap read and could not read (JSON carries it; hosts warn when not clean).</param>
public sealed record StatsAnswer(IReadOnlyList<TypeStat> Rows, int Top, int TypeCount, long? Unreachable, LoadReport Load)
{
    /// <summary>The first <see cref="Top"/> rows.</summary>
    public IReadOnlyList<TypeStat> Shown => Rows.Count <= Top ? Rows : [.. Rows.Take(Top)];
}

/// <summary>Objects and bytes per type, largest first (counts include unreachable objects, like <c>dumpheap -stat</c>).</summary>
public static class StatsVerb
{
    /// <summary>Per-type rows of a loaded heap.</summary>
    /// <param name="cancel">Stops the dominator tree (retained sizes) and the per-type sums; the host's Ctrl+C or cell cancel.</param>
    /// <exception cref="LeakLabException">Top is not positive, or the type pattern is blank.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public static StatsAnswer Run(HeapAnalysis analysis, StatsOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(options);
        TypePattern? pattern = Check(options);
        bool withRetained = options.Retained || options.IncludeRetained;
        IReadOnlyList<TypeStat> rows = analysis.TypeStats(withRetained: withRetained, cancellationToken: cancel);
        return Answer(rows, options, pattern, analysis.Graph.TypeCount, withRetained ? analysis.GetDominators(cancel).UnreachableCount : null, LoadReport.Of(analysis.Graph));
    }

    /// <summary>
    /// Per-type rows read without a graph (one walk of a dump's heap, several times faster than a full load): filters
    /// and orders them as <see cref="Run(HeapAnalysis, StatsOptions, CancellationToken)"/> does.
    /// </summary>
    /// <exception cref="LeakLabException">Retained sizes were asked for (they need the graph), Top is not positive, or the pattern is blank.</exception>
    public static StatsAnswer Run(HeapStatistics statistics, StatsOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        IReadOnlyList<TypeStat> allTypes = statistics.Types;
        ArgumentNullException.ThrowIfNull(options);
        if (options.Retained || options.IncludeRetained)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "retained sizes need the whole heap graph; load the heap instead of reading its type statistics");
        return Answer(allTypes, options, Check(options), allTypes.Count, null, statistics.Load);
    }

    private static TypePattern? Check(StatsOptions options)
    {
        VerbOptions.Positive(options.Top, "top");
        if (options.Type is null)
            return null;
        return string.IsNullOrWhiteSpace(options.Type)
            ? throw new LeakLabException(LeakLabErrorKind.BadArgument, "--type needs part of a type name, e.g. --type CachedOrder")
            : new TypePattern(options.Type);
    }

    private static StatsAnswer Answer(IReadOnlyList<TypeStat> rows, StatsOptions options, TypePattern? pattern, int typeCount, long? unreachable, LoadReport load)
    {
        if (options.Retained)
            rows = [.. rows.OrderByDescending(r => r.Retained ?? 0).ThenByDescending(r => r.Bytes)];
        if (pattern is not null)
            rows = pattern.Rank(rows, r => r.Type);
        return new StatsAnswer(rows, options.Top, typeCount, unreachable, load);
    }
}
