using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Runtime;

/// <summary>Reads every runtime table from an open dump; each table that fails to read is left empty and counted.</summary>
internal static class RuntimeTableReader
{
    public static RuntimeTables Read(DumpSession session, Func<ulong, bool>? isLive, CancellationToken cancel)
    {
        ClrRuntime runtime = session.Runtime;
        var scan = new RuntimeObjectScan();
        scan.Run(session.Heap, isLive, cancel);
        return new RuntimeTables
        {
            Info = session.Info,
            LiveOnly = isLive is not null,
            FinalizerQueue = Tolerant(() => FinalizerQueue(session.Heap)),
            Handles = Tolerant(() => Handles(runtime)),
            Timers = Tolerant(() => TimerQueueReader.Read(runtime)),
            Threads = Tolerant(() => ThreadTableReader.Read(runtime, scan.ThreadNames, cancel)),
            PendingTasks = scan.PendingTasks,
            CancellationSources = scan.CancellationSources,
            SafeHandles = scan.SafeHandles,
            IdKeyedTables = scan.IdKeyedTables,
            Memory = Memory(session),
        };
    }

    private static IReadOnlyList<FinalizerQueueRow> FinalizerQueue(ClrHeap heap)
    {
        var rows = new Dictionary<string, (long Registered, long Ready, long Bytes)>(StringComparer.Ordinal);
        foreach (ClrObject obj in heap.EnumerateFinalizableObjects())
        {
            if (ClrValues.TypeName(obj) is { } type)
                rows[type] = rows.GetValueOrDefault(type) with { Registered = rows.GetValueOrDefault(type).Registered + 1 };
        }
        foreach (ClrRoot root in heap.EnumerateFinalizerRoots())
        {
            if (ClrValues.TypeName(root.Object) is not { } type)
                continue;
            var row = rows.GetValueOrDefault(type);
            rows[type] = (row.Registered, row.Ready + 1, row.Bytes + (long)root.Object.Size);
        }
        return [.. rows.Select(r => new FinalizerQueueRow(r.Key, r.Value.Registered, r.Value.Ready, r.Value.Bytes))
            .OrderByDescending(r => r.Ready).ThenByDescending(r => r.Registered).ThenBy(r => r.Type, StringComparer.Ordinal)];
    }

    private static IReadOnlyList<GcHandleRow> Handles(ClrRuntime runtime)
    {
        var rows = new Dictionary<(string, string), (long Count, long Bytes)>();
        foreach (ClrHandle handle in runtime.EnumerateHandles())
        {
            if (!handle.IsStrong || ClrValues.TypeName(handle.Object) is not { } type)
                continue;
            var key = (KindName(handle.HandleKind), type);
            var row = rows.GetValueOrDefault(key);
            rows[key] = (row.Count + 1, row.Bytes + (long)handle.Object.Size);
        }
        return [.. rows.Select(r => new GcHandleRow(r.Key.Item1, r.Key.Item2, r.Value.Count, r.Value.Bytes))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.HeldType, StringComparer.Ordinal)];
    }

    private static string KindName(ClrHandleKind kind) => kind switch
    {
        ClrHandleKind.Strong => "strong",
        ClrHandleKind.Pinned => "pinned",
        ClrHandleKind.AsyncPinned => "async pinned",
        ClrHandleKind.RefCounted => "ref-counted",
        ClrHandleKind.SizedRef => "sized-ref",
        ClrHandleKind.Dependent => "dependent",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static MemorySummary Memory(DumpSession session)
    {
        IReadOnlyList<CoreMemoryMap.Segment> segments = CoreMemoryMap.Segments(session.Path);
        long dumped = segments.Sum(s => s.FileSize);
        long gc = 0;
        foreach (ClrSegment segment in session.Heap.Segments)
            gc += (long)segment.CommittedMemory.Length;
        // Thread stacks are dumped whole: without them every new thread would read as native memory. A thread's stack
        // is the segment holding its stack pointer.
        var stackSegments = new HashSet<int>();
        foreach (ClrThread thread in session.Runtime.Threads)
        {
            if (!thread.IsAlive)
                continue;
            try
            {
                foreach (ClrStackFrame frame in thread.EnumerateStackTrace(includeContext: false, maxFrames: 1))
                {
                    if (CoreMemoryMap.Find(segments, frame.StackPointer) is int at and >= 0)
                        stackSegments.Add(at);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException)
            {
                // a thread whose stack cannot be walked counts as native memory
            }
        }
        long stacks = stackSegments.Sum(i => segments[i].FileSize);
        return new MemorySummary(dumped, gc, stacks, dumped > 0 ? Math.Max(0, dumped - gc - stacks) : 0);
    }

    private static IReadOnlyList<T> Tolerant<T>(Func<IReadOnlyList<T>> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException or NullReferenceException or ArgumentException or NotSupportedException)
        {
            return [];
        }
    }
}
