namespace LeakLab.Engine.Verbs;

/// <summary>Options of <see cref="InspectVerb"/>; none yet (every inspection runs), kept so hosts pass one the day one appears.</summary>
public sealed record InspectOptions;

/// <summary>Names the cause of a leak: every inspection over one snapshot or a series of one process, most serious finding first.</summary>
public static class InspectVerb
{
    /// <param name="snapshots">Oldest first; a series shows growth, dumps with runtime tables add timers, threads, handles.</param>
    /// <param name="cancel">Stops between inspections; the host's Ctrl+C or cell cancel.</param>
    /// <exception cref="LeakLabException">No snapshot given.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public static InspectionReport Run(IReadOnlyList<InspectionSnapshot> snapshots, InspectOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(options);
        if (snapshots.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.NotReady, "inspect needs a snapshot (a series of two or more shows growth)");
        return Inspector.Run(snapshots, cancel);
    }
}
