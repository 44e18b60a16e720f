using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Runtime;

/// <summary>
/// One walk over the GC heap that picks out the runtime objects the tables need: tasks not yet completed, cancellation
/// token sources with registrations, SafeHandles (open or closed), and the names of managed threads.
/// </summary>
/// <remarks>
/// Types are classified once per type by their base-type chain (a user's <c>SafeHandle</c> subclass counts; a type
/// merely named like one does not). Field layouts are the runtime's private ones, read by name and tolerated when
/// missing, so a runtime that renames them yields empty rows rather than wrong ones.
/// </remarks>
internal sealed class RuntimeObjectScan
{
    private const int MaxSources = 200;
    private const int MaxRegistrations = 10_000_000;
    private const int MaxAddresses = 100_000;
    // Task.m_stateFlags bits: ran to completion, faulted, canceled.
    private const long TaskCompletedMask = 0x1000000 | 0x200000 | 0x400000;

    private readonly Dictionary<ClrType, Kind> _kinds = [];
    private readonly Dictionary<string, TaskGroup> _tasks = new(StringComparer.Ordinal);
    private readonly List<CancellationSourceRow> _sources = [];
    private readonly Dictionary<string, SafeGroup> _safeHandles = new(StringComparer.Ordinal);

    private readonly List<IdKeyedTableRow> _idTables = [];

    private enum Kind : byte { None, Task, TokenSource, SafeHandle, Thread, IdDictionary }

    public Dictionary<int, string> ThreadNames { get; } = [];

    public void Run(ClrHeap heap, Func<ulong, bool>? isLive, CancellationToken cancel)
    {
        long seen = 0;
        foreach (ClrObject obj in heap.EnumerateObjects())
        {
            if ((++seen & 0xFFFF) == 0)
                cancel.ThrowIfCancellationRequested();
            if (obj.Type is not { } type)
                continue;
            if (!_kinds.TryGetValue(type, out Kind kind))
                _kinds.Add(type, kind = Classify(type));
            if (kind == Kind.None || (isLive is not null && !isLive(obj.Address)))
                continue;
            switch (kind)
            {
                case Kind.Task: AddTask(obj); break;
                case Kind.TokenSource: AddSource(obj); break;
                case Kind.SafeHandle: AddSafeHandle(obj); break;
                case Kind.Thread: AddThreadName(obj); break;
                case Kind.IdDictionary: AddIdTable(obj); break;
            }
        }
    }

    public IReadOnlyList<PendingTaskRow> PendingTasks =>
        [.. _tasks.Select(t => new PendingTaskRow(t.Key, t.Value.Count, t.Value.Continuations, t.Value.Max, t.Value.MaxAddress))
            .OrderByDescending(r => r.MaxContinuations).ThenByDescending(r => r.Count).ThenBy(r => r.Type, StringComparer.Ordinal)];

    public IReadOnlyList<CancellationSourceRow> CancellationSources =>
        [.. _sources.OrderByDescending(s => s.Registrations).ThenBy(s => s.Address).Take(MaxSources)];

    public IReadOnlyList<SafeHandleRow> SafeHandles =>
        [.. _safeHandles.Select(s => new SafeHandleRow(s.Key, s.Value.Open, s.Value.Closed, s.Value.OpenAddresses))
            .OrderByDescending(r => r.Open).ThenBy(r => r.Type, StringComparer.Ordinal)];

    public IReadOnlyList<IdKeyedTableRow> IdKeyedTables => [.. _idTables.OrderByDescending(t => t.Count).ThenBy(t => t.Address)];

    private static Kind Classify(ClrType type)
    {
        if (type.IsArray || type.IsValueType || type.IsString)
            return Kind.None;
        if (type.Name is { } name && (name.StartsWith("System.Collections.Generic.Dictionary<System.Int64,", StringComparison.Ordinal)
            || name.StartsWith("System.Collections.Generic.Dictionary<System.Int32,", StringComparison.Ordinal)))
            return Kind.IdDictionary;
        if (type.Name == "System.Threading.Thread")
            return Kind.Thread;
        if (ClrValues.DerivesFrom(type, "System.Threading.Tasks.Task"))
            return Kind.Task;
        if (ClrValues.DerivesFrom(type, "System.Threading.CancellationTokenSource"))
            return Kind.TokenSource;
        if (ClrValues.DerivesFrom(type, "System.Runtime.InteropServices.SafeHandle"))
            return Kind.SafeHandle;
        return Kind.None;
    }

    private void AddTask(ClrObject task)
    {
        long flags = ClrValues.Integer(task, "m_stateFlags") ?? 0;
        if ((flags & TaskCompletedMask) != 0)
            return;
        ClrObject continuation = ClrValues.Object(task, "m_continuationObject");
        int continuations = continuation.IsNull ? 0
            : continuation.Type?.Name == "System.Object" ? 0 // the completion sentinel
            : continuation.Type?.Name?.StartsWith("System.Collections.Generic.List<", StringComparison.Ordinal) == true
                ? (int)(ClrValues.Integer(continuation, "_size") ?? 0)
                : 1;
        string name = ClrValues.TypeName(task)!;
        if (!_tasks.TryGetValue(name, out TaskGroup? group))
            _tasks.Add(name, group = new TaskGroup());
        group.Count++;
        group.Continuations += continuations;
        if (continuations > group.Max)
            (group.Max, group.MaxAddress) = (continuations, task.Address);
    }

    private void AddSource(ClrObject source)
    {
        ClrObject registrations = ClrValues.Object(source, "_registrations");
        if (registrations.IsNull)
            return;
        int count = 0;
        var targets = new Dictionary<string, int>(StringComparer.Ordinal);
        for (ClrObject node = ClrValues.Object(registrations, "Callbacks"); !node.IsNull && count < MaxRegistrations; node = ClrValues.Object(node, "Next"))
        {
            count++;
            if (targets.Count < 16)
            {
                string? target = ClrValues.TypeName(ClrValues.Object(node, "CallbackState"))
                    ?? ClrValues.DelegateTarget(ClrValues.Object(node, "Callback")).TargetType;
                if (target is not null)
                    targets[target] = targets.GetValueOrDefault(target) + 1;
            }
        }
        if (count == 0)
            return;
        _sources.Add(new CancellationSourceRow(source.Address, ClrValues.TypeName(source)!, count,
            Canceled: (ClrValues.Integer(source, "_state") ?? 0) != 0, Disposed: (ClrValues.Integer(source, "_disposed") ?? 0) != 0,
            [.. targets.OrderByDescending(t => t.Value).Select(t => t.Key).Take(3)]));
        // Keep the list bounded: a process with millions of sources needs only the ones with the most registrations.
        if (_sources.Count > 4 * MaxSources)
        {
            var keep = _sources.OrderByDescending(s => s.Registrations).Take(MaxSources).ToList();
            _sources.Clear();
            _sources.AddRange(keep);
        }
    }

    private void AddSafeHandle(ClrObject handle)
    {
        // SafeHandle._state: bit 0 closed, bit 1 disposed, the rest a reference count.
        long state = ClrValues.Integer(handle, "_state") ?? 0;
        string name = ClrValues.TypeName(handle)!;
        if (!_safeHandles.TryGetValue(name, out SafeGroup? group))
            _safeHandles.Add(name, group = new SafeGroup());
        if ((state & 0b11) != 0)
        {
            group.Closed++;
            return;
        }
        group.Open++;
        if (group.OpenAddresses.Count < MaxAddresses)
            group.OpenAddresses.Add(handle.Address);
    }

    private void AddThreadName(ClrObject thread)
    {
        long? id = ClrValues.Integer(thread, "_managedThreadId");
        ClrObject name = ClrValues.Object(thread, "_name");
        if (id is long managedId && !name.IsNull && name.AsString(256) is { } text)
            ThreadNames[(int)managedId] = text;
    }

    /// <summary>Live keys of a Dictionary&lt;long or int, V&gt;: used entries are the first _count whose next is ≥ -1 (free ones encode the free list below -1).</summary>
    private void AddIdTable(ClrObject dictionary)
    {
        const int MinEntries = 32, MaxEntries = 200_000;
        long used = ClrValues.Integer(dictionary, "_count") ?? 0;
        ClrObject entries = ClrValues.Object(dictionary, "_entries");
        if (used < MinEntries || entries.IsNull || !entries.IsArray)
            return;
        ClrArray array = entries.AsArray();
        int n = (int)Math.Min(Math.Min(used, array.Length), MaxEntries);
        var keys = new List<long>(n);
        bool wide = dictionary.Type!.Name!.StartsWith("System.Collections.Generic.Dictionary<System.Int64,", StringComparison.Ordinal);
        for (int i = 0; i < n; i++)
        {
            ClrValueType entry = array.GetStructValue(i);
            if (entry.ReadField<int>("next") < -1)
                continue;
            keys.Add(wide ? entry.ReadField<long>("key") : entry.ReadField<int>("key"));
        }
        if (keys.Count < MinEntries)
            return;
        keys.Sort();
        long min = keys[0], max = keys[^1], stride = 0;
        foreach (long k in keys)
            stride = Gcd(stride, k - min);
        double density = (double)keys.Count / Math.Max(1, max - min + 1);
        _idTables.Add(new IdKeyedTableRow(dictionary.Address, ClrValues.TypeName(dictionary)!, keys.Count, min, max, stride, density));
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return Math.Abs(a);
    }

    private sealed class TaskGroup
    {
        public long Count;
        public long Continuations;
        public int Max;
        public ulong MaxAddress;
    }

    private sealed class SafeGroup
    {
        public long Open;
        public long Closed;
        public readonly List<ulong> OpenAddresses = [];
    }
}
