using System.Globalization;

namespace LeakLab.Core.Loading;

/// <summary>
/// What one load read and what it could not: every graph carries one (<see cref="SnapshotInfo.Load"/>), whatever its
/// source, so a partial load is never silent. Counts are 0 where a source cannot lose that kind of data (a saved .llhg
/// loses no events); <see cref="Damage"/> is null where the source does not walk heap memory (EventPipe, .llhg).
/// </summary>
/// <remarks>
/// A load is clean when nothing was skipped, cut short, left unresolved or lost. Hosts say so on stderr, in JSON
/// (<c>"load"</c>) and in notebook output when it is not clean.
/// </remarks>
public sealed record LoadReport
{
    /// <summary>"dump", "eventpipe" or "llhg": what was read.</summary>
    public required string Source { get; init; }

    /// <summary>Objects read (in the graph, or counted by a statistics walk).</summary>
    public long Objects { get; init; }

    /// <summary>Shallow bytes of those objects.</summary>
    public long Bytes { get; init; }

    /// <summary>
    /// Roots whose object is not one the load read: its memory was skipped, or the root holds no object start. Left
    /// out of the graph. Null when the load cannot tell: a statistics walk reads no roots, and an EventPipe snapshot's
    /// root events name stack interior pointers and objects outside the GC heap too, which are no loss.
    /// </summary>
    public int? RootsUnresolved { get; init; }

    /// <summary>Modules, threads or handle tables whose roots could not be read at all (dumps: the DAC failed on them).</summary>
    public int RootSourcesUnread { get; init; }

    /// <summary>Events the runtime dropped during an EventPipe snapshot (its buffers were full).</summary>
    public long EventsLost { get; init; }

    /// <summary>
    /// References that point at no object the load read, left out of the graph (a dump's damaged references are also in
    /// <see cref="HeapDamage.DanglingReferences"/>).
    /// </summary>
    public long ReferencesDropped { get; init; }

    /// <summary>What the walk over heap memory had to skip (dumps); null when the source does not walk memory.</summary>
    public HeapDamage? Damage { get; init; }

    /// <summary>Segments (regions) the walk could not read to their end.</summary>
    public int SegmentsCutShort => Damage?.SegmentsCutShort ?? 0;

    /// <summary>True when the whole heap was read: nothing skipped, cut short, unresolved or lost.</summary>
    public bool IsClean =>
        Damage is not { IsDamaged: true } && RootsUnresolved is null or 0 && RootSourcesUnread == 0 && EventsLost == 0 && ReferencesDropped == 0;

    /// <summary>The report a graph came with, or, for a graph built in memory (hand-built, tests), a clean one counting it.</summary>
    public static LoadReport Of(HeapGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Info.Load ?? Counting(graph, graph.Info.SourceKind);
    }

    /// <summary>A clean report with the objects and bytes of <paramref name="graph"/>: what a source that lost nothing reports.</summary>
    public static LoadReport Counting(HeapGraph graph, string source)
    {
        ArgumentNullException.ThrowIfNull(graph);
        long bytes = 0;
        for (int v = 0; v < graph.NodeCount; v++)
            bytes += graph.Size(v);
        return new LoadReport { Source = source, Objects = graph.NodeCount, Bytes = bytes };
    }

    /// <summary>
    /// What hosts print when the load is not clean (stderr, notebook output), null when it is: "the heap is damaged and
    /// was read in part: 3 bad objects, …; results leave the unread objects out".
    /// </summary>
    public string? Warning => IsClean ? null
        : $"{(Damage is { IsDamaged: true } ? "the heap is damaged and was read in part" : "the heap was read in part")}: {Describe()}; results leave the unread objects out";

    /// <summary>
    /// One sentence for a warning line, naming only what went wrong: "3 bad objects, 12,345 bytes (0.5% of the heap)
    /// skipped, 2 roots unresolved"; "nothing" when clean.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Damage is { IsDamaged: true } damage)
            parts.Add(damage.Describe());
        else if (ReferencesDropped > 0)
            parts.Add(Count(ReferencesDropped, "reference") + " to no object dropped");
        if (RootsUnresolved is > 0 and int unresolved)
            parts.Add(Count(unresolved, "root") + " whose object could not be read");
        if (RootSourcesUnread > 0)
            parts.Add(Count(RootSourcesUnread, "module, thread or handle table") + " whose roots could not be read");
        if (EventsLost > 0)
            parts.Add(Count(EventsLost, "event") + " lost");
        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    private static string Count(long n, string what) =>
        n.ToString("N0", CultureInfo.InvariantCulture) + " " + what + (n == 1 ? "" : "s");
}
