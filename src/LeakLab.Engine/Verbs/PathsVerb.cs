namespace LeakLab.Engine.Verbs;

/// <summary>Options of <see cref="PathsVerb"/>: exactly one of <see cref="Type"/> and <see cref="Address"/>.</summary>
public sealed record PathsOptions
{
    /// <summary>Path shapes shown by default (per kind: lasting roots, then stack frames).</summary>
    public const int DefaultLimit = 10;

    /// <summary>Paths to every instance of the types this <see cref="TypePattern"/> selects.</summary>
    public string? Type { get; init; }

    /// <summary>The path to one object, by address.</summary>
    public ulong? Address { get; init; }

    /// <summary>Distinct path shapes to show at most; must be positive.</summary>
    public int Limit { get; init; } = DefaultLimit;
}

/// <summary>What <see cref="PathsVerb"/> found.</summary>
/// <param name="Paths">Path shapes, lasting roots first, then the shorter paths from stack frames they leave out.</param>
/// <param name="Types">For a type pattern: which types it selected, with objects each; null for an address.</param>
/// <param name="Address">For an address: the object; else null.</param>
public sealed record PathsAnswer(IReadOnlyList<RetentionPath> Paths, TypeSelection? Types, ulong? Address)
{
    /// <summary>What the paths lead to: "type Foo" or "object 0x…".</summary>
    public string Target => Address is { } a ? $"object 0x{a:x}" : $"type {Types!.Pattern.Text}";
}

/// <summary>Shortest retention paths from named roots to objects, grouped by shape.</summary>
public static class PathsVerb
{
    /// <exception cref="LeakLabException">
    /// Neither or both of type and address; a blank pattern or one that names no type; an address that is no object;
    /// a limit that is not positive. Messages name the host's command to run next (<paramref name="host"/>).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled (the host's Ctrl+C or cell cancel).</exception>
    public static PathsAnswer Run(HeapAnalysis analysis, PathsOptions options, VerbHost host, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        if ((options.Type is null) == (options.Address is null))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "paths needs exactly one of a type pattern (--type) or an object address (--address)");
        int limit = VerbOptions.Positive(options.Limit, "limit");

        if (options.Address is ulong address)
        {
            // Never an empty answer for a typo: say that the address is no object.
            if (analysis.Graph.FindNode(address) == NodeId.None)
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"0x{address:x} is not the address of an object in {host.Subject}; take an address from {host.Command("retained FILE")} or from a path's example.");
            return new PathsAnswer(analysis.GetPaths(cancel).PathsToAddress(address), null, address);
        }

        if (string.IsNullOrWhiteSpace(options.Type))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "--type needs a type name or part of one, e.g. --type CachedOrder");
        ShortestPaths forest = analysis.GetPaths(cancel);
        TypeSelection types = new TypePattern(options.Type).Select(analysis.Graph, forest);
        if (types.Types.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"no type in {host.Subject} matches '{options.Type.Trim()}'; list the types with {host.Command("stats FILE --type PART_OF_NAME")}");
        // The attributed shapes (the lasting root wins), then the shorter paths from stack frames they leave out.
        IReadOnlyList<RetentionPath> paths =
            [.. BestMatchesFirst(types, forest.PathsToType(types, limit, cancel)), .. forest.FurtherPathsToType(types, limit, cancel)];
        return new PathsAnswer(paths, types, null);
    }

    /// <summary>When a pattern selected several types, the shapes ending at a type named by its full or short name lead.</summary>
    private static IReadOnlyList<RetentionPath> BestMatchesFirst(TypeSelection types, IReadOnlyList<RetentionPath> paths)
    {
        if (types.Types.Count <= 1)
            return paths;
        var named = types.Types.Where(t => t.Kind != TypeMatchKind.Contains).Select(t => t.Type).ToHashSet(StringComparer.Ordinal);
        return [.. paths.OrderByDescending(p => p.Steps.Count > 0 && named.Contains(p.Steps[^1].Type))];
    }
}
