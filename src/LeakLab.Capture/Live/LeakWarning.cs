namespace LeakLab.Capture.Live;

/// <summary>
/// The leak warning of a watch: whether the heap left after full GCs keeps growing (or nears the GC's memory limit),
/// which types grow across the watch's heap snapshots, and where those types were allocated.
/// </summary>
/// <remarks>
/// The rule (README, "watch"): warn when BOTH hold:
/// <list type="number">
/// <item>the live bytes after gen2 GCs (what each full GC found reachable: its promoted bytes) grew over the last
/// <see cref="ConsecutiveGen2"/> consecutive gen2 GCs (each one larger than the one before), by at least
/// <see cref="MinGrowthBytes"/> and <see cref="MinGrowthShare"/> in total; OR the heap after the latest gen2 GC (its
/// generation sizes, free space included) holds at least <see cref="LimitShare"/> of the GC's memory limit
/// (<see cref="MemoryLimit"/>) and more than after the first gen2 GC of the watch;</item>
/// <item>the comparison of the heap snapshots (<see cref="SnapshotComparison"/>, needs two or more) names at least one
/// growing type. A watch without two snapshots relies on rule 1 alone.</item>
/// </list>
/// Only gen2 GCs count: what one promotes is exactly what is reachable, so steady growth there is retained memory,
/// not allocation churn. Promoted bytes rather than the sizes after: a compacting GC can leave the generation sizes
/// flat while the live data grows (the sizes include free space). Each heap snapshot induces a gen2 GC, so a watch with
/// K snapshots has at least K such points. Two independent signals keep a bounded cache (the sample's
/// <c>control</c> workload) from being reported when its size happens to rise a few times in a row.
/// The allocation stacks are evidence, not part of the rule: the top sampled stack of each growing type.
/// </remarks>
/// <param name="Alert">Whether the rule fired.</param>
/// <param name="Reason">One sentence per rule part, and the top allocation stack of the first growing type that has one.</param>
/// <param name="LiveAfterGen2">Live (promoted) bytes of each gen2 GC of the watch, oldest first.</param>
/// <param name="Growing">The types the snapshot comparison found growing.</param>
/// <param name="Stacks">For each growing type with allocation samples, its most-sampled call stack (same order as <paramref name="Growing"/>).</param>
/// <param name="Limit">The GC's memory limit of the target, when it has one.</param>
public sealed record LeakWarning(bool Alert, string Reason, IReadOnlyList<long> LiveAfterGen2, IReadOnlyList<TypeTrend> Growing,
    IReadOnlyList<AllocationStack> Stacks, MemoryLimit? Limit)
{
    /// <summary>Growth steps in a row the gen2 series needs (3 points).</summary>
    public const int ConsecutiveGen2 = 2;

    /// <summary>Total growth over those steps, in bytes and as a share of the first point.</summary>
    public const long MinGrowthBytes = 256 * 1024;
    public const double MinGrowthShare = 0.01;

    /// <summary>The share of the memory limit that, reached by a growing gen2 heap, is enough for rule 1.</summary>
    public const double LimitShare = 0.5;

    /// <summary>
    /// Applies the rule to a watch's GC timeline (oldest first) and, when it had two snapshots or more, their comparison.
    /// <paramref name="stacksOf"/> gives a type's allocation stacks, most sampled first (e.g. <see cref="LiveRecorder.StacksOf"/>).
    /// </summary>
    public static LeakWarning Judge(IReadOnlyList<GcRecord> gcs, SnapshotComparison? comparison,
        MemoryLimit? limit = null, Func<string, IReadOnlyList<AllocationStack>>? stacksOf = null)
    {
        ArgumentNullException.ThrowIfNull(gcs);
        long[] gen2 = [.. gcs.Where(g => g.Generation == 2).Select(g => g.PromotedBytes)];
        long[] sizes = [.. gcs.Where(g => g.Generation == 2).Select(g => g.HeapAfter)];
        IReadOnlyList<TypeTrend> growing = comparison?.Types.Where(t => t.Growing).ToList() ?? [];

        string heapReason;
        bool heapGrows = false;
        if (gen2.Length < ConsecutiveGen2 + 1)
        {
            heapReason = $"{gen2.Length} gen2 GC(s) seen; the rule needs {ConsecutiveGen2 + 1}";
        }
        else
        {
            long[] last = gen2[^(ConsecutiveGen2 + 1)..];
            bool rising = last.Zip(last.Skip(1)).All(p => p.Second > p.First);
            long growth = last[^1] - last[0];
            heapGrows = rising && growth >= MinGrowthBytes && growth >= MinGrowthShare * last[0];
            heapReason = heapGrows
                ? $"live bytes after the last {last.Length} gen2 GCs grew each time, by {growth:N0} bytes ({100.0 * growth / Math.Max(1, last[0]):0.#}%)"
                : $"live bytes after the last {last.Length} gen2 GCs did not grow steadily ({string.Join(" → ", last.Select(b => $"{b:N0}"))} bytes)";
        }
        if (limit is not null && sizes.Length >= 2)
        {
            double share = (double)sizes[^1] / limit.Bytes;
            bool nearLimit = share >= LimitShare && sizes[^1] > sizes[0];
            heapReason += $"; after the last gen2 GC the heap is {100 * share:0.#}% of the {limit.Bytes:N0}-byte memory limit ({limit.Source})"
                + (nearLimit && !heapGrows ? $", over {100 * LimitShare:0}% and larger than at the start" : "");
            heapGrows |= nearLimit;
        }

        bool snapshotsAgree = comparison is null || growing.Count > 0;
        var stacks = new List<AllocationStack>();
        if (stacksOf is not null)
            foreach (TypeTrend t in growing)
                if (stacksOf(t.Type) is [var top, ..])
                    stacks.Add(top);
        var judged = new LeakWarning(heapGrows && snapshotsAgree, "", gen2, growing, stacks, limit)
        {
            HeapReason = heapReason,
            SnapshotCount = comparison?.Snapshots.Count,
        };
        return judged with { Reason = judged.Describe(name => name, name => name) };
    }

    /// <summary>Growing types the sentence names; it counts the rest, so a host listing every growing type agrees with it.</summary>
    private const int NamedTypes = 3;

    /// <summary>The rule's part 1 in words (gen2 growth, memory limit), without type names.</summary>
    public string HeapReason { get; init; } = "";

    /// <summary>How many snapshots were compared; null when fewer than two.</summary>
    public int? SnapshotCount { get; init; }

    /// <summary>
    /// <see cref="Reason"/> with type names as <paramref name="name"/> and the stack's methods as
    /// <paramref name="method"/> show them (a host's short names), so the warning names types the way the host's tables
    /// do. <paramref name="withStack"/> false leaves out the top allocation stack, for a host that lists each growing
    /// type's stack below the warning.
    /// </summary>
    public string Describe(Func<string, string> name, Func<string, string> method, bool withStack = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(method);
        string snapshotReason = SnapshotCount is not int count
            ? "fewer than two snapshots, no type comparison"
            : Growing.Count > 0
                ? $"growing across {count} snapshots: {string.Join(", ", Growing.Take(NamedTypes).Select(t => name(t.Type)))}"
                    + (Growing.Count > NamedTypes ? $" and {Growing.Count - NamedTypes:N0} more" : "")
                : $"no type grows across {count} snapshots";
        string stackReason = withStack && Stacks.Count > 0
            ? $"; {name(Stacks[0].Type)} allocated at {Stacks[0].Describe(4, method)} ({Stacks[0].Samples:N0} samples)"
            : "";
        return $"{HeapReason}; {snapshotReason}{stackReason}";
    }
}
