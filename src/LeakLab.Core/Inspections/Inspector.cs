
namespace LeakLab.Core.Inspections;

/// <summary>
/// Runs every inspection over one snapshot or a series of one process and returns the findings, most serious first.
/// </summary>
/// <remarks>
/// Inspections key on the runtime's structures (timer queues, delegates' invocation lists, token-source callback
/// lists, channel queues, SafeHandle state, the finalizer queue, threads) and on the shape of the evidence, never on
/// a program's own type or field names. Specific ones run first and claim the roots they explain; the generic
/// static-collection inspection runs last and reports only roots nobody claimed.
/// </remarks>
public static class Inspector
{
    /// <summary>The inspections in run order: (scenario id, name).</summary>
    public static IReadOnlyList<(string Scenario, string Name)> Inspections => [.. Create().Select(i => (i.Scenario, i.Name))];

    /// <summary>Inspects snapshots given oldest first (at least one; a series shows growth).</summary>
    /// <param name="cancel">Checked before each inspection (each walks the heap at most a few times).</param>
    /// <exception cref="LeakLabException">No snapshots, or snapshots of different processes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public static InspectionReport Run(IReadOnlyList<InspectionSnapshot> snapshots, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.NotReady, "nothing to inspect: give one dump or snapshot, or better a series of one process, oldest first");
        var pids = snapshots.Select(s => s.Graph.Info.ProcessId).Where(p => p is not null).Distinct().ToList();
        if (pids.Count > 1)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"the snapshots come from different processes (pids {string.Join(", ", pids)}); inspect snapshots of one process");

        // Growth is read oldest first: a shell wildcard or a user's order must not turn a leak into a "shrink".
        snapshots = CaptureOrder.Sort(snapshots, s => s.Graph.Info, out string order);
        var context = new InspectionContext(snapshots);
        foreach (IInspection inspection in Create())
        {
            cancel.ThrowIfCancellationRequested();
            inspection.Run(context);
        }
        var findings = context.Findings.OrderByDescending(f => f.Score).ThenByDescending(f => f.RetainedBytes).ThenBy(f => f.Scenario, StringComparer.Ordinal).ToList();
        return new InspectionReport([.. snapshots.Select(s => s.Graph.Info)], findings, context.Notes) { Order = snapshots.Count > 1 ? order : null };
    }

    private static IInspection[] Create() =>
    [
        new EventSubscriberInspection(),
        new TaskContinuationInspection(),
        new ChannelBacklogInspection(),
        new TimerInspection(),
        new TokenSourceInspection(),
        new BlockedThreadsInspection(),
        new GcHandleInspection(),
        new HandleRegistryInspection(),
        new PoolInspection(),
        new FinalizerInspection(),
        new SafeHandleInspection(),
        new AsyncLocalInspection(),
        new StackFrameInspection(),
        new FailedReleaseInspection(),
        new StaticCollectionInspection(),
    ];
}
