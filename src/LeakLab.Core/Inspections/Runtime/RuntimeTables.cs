namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// Runtime structures read from one dump, as tables: the finalizer queue, GC handles, live timers, threads, pending
/// tasks, cancellation-token-source registrations, SafeHandles and the process's memory beside the GC heap.
/// </summary>
/// <remarks>
/// Only a dump carries these (an EventPipe .llhg snapshot has none): inspections that need a table say so when it is
/// missing. Objects are counted only when some root reaches them, when the reader was given the snapshot's graph;
/// otherwise garbage not yet collected counts too (<see cref="LiveOnly"/>).
/// </remarks>
public sealed record RuntimeTables
{
    public required SnapshotInfo Info { get; init; }
    /// <summary>True when only objects some root reaches were counted (tasks, token sources, SafeHandles).</summary>
    public bool LiveOnly { get; init; }
    public IReadOnlyList<FinalizerQueueRow> FinalizerQueue { get; init; } = [];
    public IReadOnlyList<GcHandleRow> Handles { get; init; } = [];
    public IReadOnlyList<TimerRow> Timers { get; init; } = [];
    public IReadOnlyList<ThreadRow> Threads { get; init; } = [];
    public IReadOnlyList<PendingTaskRow> PendingTasks { get; init; } = [];
    public IReadOnlyList<CancellationSourceRow> CancellationSources { get; init; } = [];
    public IReadOnlyList<SafeHandleRow> SafeHandles { get; init; } = [];
    /// <summary>Live dictionaries keyed by integers with at least a few dozen entries, and the shape of their keys.</summary>
    public IReadOnlyList<IdKeyedTableRow> IdKeyedTables { get; init; } = [];
    public MemorySummary Memory { get; init; } = new(0, 0, 0, 0);
    /// <summary>A live process's memory read from /proc (a live process or a snapshot of one); null for a dump.</summary>
    public ProcessMemory? Process { get; init; }

    /// <summary>Live timers in all timer queues.</summary>
    public long TimerCount => Timers.Sum(t => t.Count);
    /// <summary>Objects in the f-reachable queue: dead, waiting for their finalizer to run.</summary>
    public long ReadyForFinalization => FinalizerQueue.Sum(f => f.Ready);
}
