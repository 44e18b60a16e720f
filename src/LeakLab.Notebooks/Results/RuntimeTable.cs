using Microsoft.Data.Analysis;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// One runtime table of a dump (<see cref="RuntimeTables"/>) as columns and rows, the one shape its HTML, text and
/// DataFrame are drawn from. Column kinds: 'L' long (counts, bytes, milliseconds), 'B' bool, 'S' string (names,
/// addresses "0x…", lists joined by "; ").
/// </summary>
public sealed class RuntimeTable
{
    private RuntimeTable(string name, string caption, (string Name, char Kind)[] columns, IEnumerable<object?[]> rows)
    {
        Name = name;
        Caption = caption;
        Columns = [.. columns.Select(c => c.Name)];
        _kinds = [.. columns.Select(c => c.Kind)];
        Rows = [.. rows];
    }

    private readonly char[] _kinds;

    /// <summary>The table's name as <c>--table</c> takes it ("finalizer", "handles"...).</summary>
    public string Name { get; }
    public string Caption { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>The names <c>--table</c> accepts, in display order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["finalizer", "handles", "timers", "threads", "tasks", "tokens", "safehandles", "memory", "process"];

    /// <summary>
    /// Every table of <paramref name="t"/>, in <see cref="Names"/> order; "process" only when a /proc reading is there
    /// (<see cref="RuntimeTables.Process"/>: a live process, or a snapshot of one).
    /// </summary>
    public static IReadOnlyList<RuntimeTable> All(RuntimeTables t) => [.. DumpTables(t), .. ProcessTable(t)];

    private static IReadOnlyList<RuntimeTable> ProcessTable(RuntimeTables t) => t.Process is not { } p ? [] :
    [
        new("process", $"Process memory from /proc in bytes: resident, anonymous, file-backed, swapped, peak; the GC heap's resident part "
            + $"and the anonymous memory beside it ({(p.GcRangesFrom is null ? "GC heap ranges unknown" : "GC ranges from " + p.GcRangesFrom)})",
            [("resident_bytes", 'L'), ("anonymous_bytes", 'L'), ("file_backed_bytes", 'L'), ("swapped_bytes", 'L'), ("peak_resident_bytes", 'L'),
             ("gc_heap_bytes", 'L'), ("non_gc_bytes", 'L')],
            [[p.ResidentBytes, p.AnonymousBytes, p.FileBackedBytes, p.SwappedBytes, p.PeakResidentBytes, p.GcHeapBytes, p.NonGcBytes]]),
    ];

    private static IReadOnlyList<RuntimeTable> DumpTables(RuntimeTables t) =>
    [
        new("finalizer", $"Finalizer queue by type: {t.ReadyForFinalization:N0} object(s) ready for finalization",
            [("type", 'S'), ("registered", 'L'), ("ready", 'L'), ("ready_bytes", 'L')],
            t.FinalizerQueue.Select(r => new object?[] { r.Type, r.Registered, r.Ready, r.ReadyBytes })),
        new("handles", "Strong GC handles by kind and held type",
            [("kind", 'S'), ("held_type", 'S'), ("count", 'L'), ("bytes", 'L')],
            t.Handles.Select(r => new object?[] { r.Kind, r.HeldType, r.Count, r.Bytes })),
        new("timers", $"Live timers by callback: {t.TimerCount:N0} timer(s); due and period in ms (-1 = infinite)",
            [("callback", 'S'), ("target_type", 'S'), ("state_type", 'S'), ("count", 'L'), ("min_due_ms", 'L'), ("max_due_ms", 'L'), ("period_ms", 'L'), ("example", 'S')],
            t.Timers.Select(r => new object?[] { r.Callback, r.TargetType, r.StateType, r.Count, r.MinDueMs, r.MaxDueMs, r.PeriodMs, Frames.Hex(r.ExampleAddress) })),
        new("threads", "Managed threads: state, the wait they block in, the objects their stacks root",
            [("managed_id", 'L'), ("os_id", 'L'), ("name", 'S'), ("state", 'S'), ("finalizer", 'B'), ("wait", 'S'), ("user_method", 'S'),
             ("rooted_objects", 'L'), ("rooted_types", 'S'), ("top_frames", 'S')],
            t.Threads.Select(r => new object?[] { (long)r.ManagedId, (long)r.OsId, r.Name, r.State, r.IsFinalizer, r.WaitMethod, r.UserMethod,
                (long)r.RootedObjects, Join(r.RootedTypes), Join(r.Frames.Take(5)) })),
        new("tasks", "Pending (never-completed) tasks by type",
            [("type", 'S'), ("count", 'L'), ("continuations", 'L'), ("max_continuations", 'L'), ("max_address", 'S')],
            t.PendingTasks.Select(r => new object?[] { r.Type, r.Count, r.Continuations, (long)r.MaxContinuations, Frames.Hex(r.MaxAddress) })),
        new("tokens", "CancellationTokenSources with registered callbacks",
            [("address", 'S'), ("type", 'S'), ("registrations", 'L'), ("canceled", 'B'), ("disposed", 'B'), ("callback_targets", 'S')],
            t.CancellationSources.Select(r => new object?[] { Frames.Hex(r.Address), r.Type, (long)r.Registrations, r.Canceled, r.Disposed, Join(r.CallbackTargets) })),
        new("safehandles", "SafeHandles by type: open (not closed nor disposed) and closed",
            [("type", 'S'), ("open", 'L'), ("closed", 'L')],
            t.SafeHandles.Select(r => new object?[] { r.Type, r.Open, r.Closed })),
        new("memory", "Process memory in the dump beside the GC heap, in bytes",
            [("dumped_bytes", 'L'), ("gc_committed_bytes", 'L'), ("thread_stack_bytes", 'L'), ("non_gc_bytes", 'L')],
            [[t.Memory.DumpedBytes, t.Memory.GcCommittedBytes, t.Memory.ThreadStackBytes, t.Memory.NonGcBytes]]),
    ];

    /// <summary>The table as a DataFrame with a leading <c>snapshot</c> column; column types follow the kinds even when empty.</summary>
    public DataFrame ToDataFrame(string snapshot)
    {
        var columns = new List<DataFrameColumn> { Frames.Text("snapshot", Rows.Select(_ => snapshot)) };
        for (int c = 0; c < Columns.Count; c++)
        {
            int i = c;
            columns.Add(_kinds[i] switch
            {
                'L' => Frames.Long(Columns[i], Rows.Select(r => (long?)r[i])),
                'B' => new BooleanDataFrameColumn(Columns[i], Rows.Select(r => (bool?)r[i])),
                _ => Frames.Text(Columns[i], Rows.Select(r => (string?)r[i])),
            });
        }
        return Frames.Of([.. columns]);
    }

    private static string Join(IEnumerable<string> values) => string.Join("; ", values);
}
