namespace LeakLab.Core.Inspections;

/// <summary>
/// S08: native resources owned from the managed side and never freed. Keyed on GC handles: strong and pinned handles
/// grouped by kind and held type, a group whose count grows (GCHandle.Alloc without Free); from a dump also the
/// process memory beside the GC heap (or, for snapshots of a live process, its /proc reading), which grows with the native blocks while the GC heap does not. Handles that
/// hold <c>Thread</c> objects come with threads and are left to the thread inspections.
/// </summary>
internal sealed class GcHandleInspection : IInspection
{
    private const long MinGrowth = 50;
    private const long MinNativeGrowth = 64L * 1024 * 1024;

    public string Scenario => "S08";
    public string Name => "gc-handles";

    public void Run(InspectionContext context)
    {
        if (!context.IsSeries)
        {
            context.Note(this, "one snapshot: leaked GC handles and native memory show as growth across two or more snapshots");
            return;
        }
        Dictionary<string, long[]> groups = context.HasTables
            ? context.SeriesByKey(s => s.Tables!.Handles.Where(h => h.Kind is "strong" or "pinned" or "async pinned" && h.HeldType != "System.Threading.Thread")
                .ToDictionary(h => $"{h.Kind} handle → {h.HeldType}", h => h.Count, StringComparer.Ordinal))
            : context.SeriesByKey(s => s.Graph.Roots.Where(r => r.Kind is RootKind.StrongHandle or RootKind.PinnedHandle)
                .GroupBy(r => $"{(r.Kind == RootKind.PinnedHandle ? "pinned" : "strong")} handle → {s.Graph.NodeTypeName(r.Node)}")
                .Where(g => !g.Key.EndsWith("→ System.Threading.Thread", StringComparison.Ordinal))
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal));
        var growing = groups.Where(g => SeriesGrowth.Grows(g.Value, MinGrowth)).OrderByDescending(g => g.Value[^1] - g.Value[0]).ToList();

        (long[]? nonGc, long[]? gc) = NativeSeries(context);
        bool nativeGrows = nonGc is not null && gc is not null && nonGc[0] > 0
            && SeriesGrowth.Grows(nonGc, MinNativeGrowth) && nonGc[^1] - nonGc[0] > 4 * Math.Max(0, gc[^1] - gc[0]);
        if (growing.Count == 0 && !nativeGrows)
            return;

        var evidence = growing.Select(g => $"{g.Key}: {SeriesGrowth.Text(g.Value)} handles").ToList();
        if (nonGc is not null && gc is not null && nonGc[0] > 0)
            evidence.Add(context.HasTables
                ? $"process memory beside the GC heap: {SeriesGrowth.Bytes(nonGc)}; GC heap committed: {SeriesGrowth.Bytes(gc)}"
                : $"anonymous memory beside the GC heap (live process, /proc): {SeriesGrowth.Bytes(nonGc)}; GC heap resident: {SeriesGrowth.Bytes(gc)}");
        else
            evidence.Add("native memory needs dumps (the core file's memory map) or snapshots of a live process on Linux (/proc): these files carry no process memory");
        HeapGraph last = context.Last.Graph;
        int pinned = last.Roots.Count(r => r.Kind == RootKind.PinnedHandle);
        if (pinned > 0)
        {
            var pinnedTypes = last.Roots.Where(r => r.Kind == RootKind.PinnedHandle).GroupBy(r => last.NodeTypeName(r.Node))
                .OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ×{Quantity.Count(g.Count())}");
            evidence.Add($"pinned objects: {string.Join(", ", pinnedTypes)}");
        }
        evidence.Add("nothing on the GC heap references these objects: only the handles keep them, so their owners hold raw handle or pointer values");
        string name = growing.Count > 0 ? growing[0].Key : "native memory";
        long[] series = growing.Count > 0 ? growing[0].Value : nonGc!;
        context.Add(new Finding(Scenario, growing.Count > 0 ? $"GC handles are allocated and never freed ({name})" : "Native memory grows beside a flat GC heap",
            new FindingRoot("gc handle", name), evidence, SeriesGrowth.Score(series),
            "Free every GCHandle (Free) and native block (Marshal.FreeHGlobal, NativeMemory.Free) on close, ideally owned by a SafeHandle so Dispose or the finalizer releases them.", Name) { Counts = growing.Count > 0 ? series : [] });
    }

    /// <summary>
    /// Memory beside the GC heap and the GC heap, one value per snapshot: from dumps' memory maps, or from the /proc
    /// readings taken with live snapshots; null when the snapshots carry neither.
    /// </summary>
    private static (long[]? NonGc, long[]? Gc) NativeSeries(InspectionContext context)
    {
        if (context.HasTables)
            return (context.Series(s => s.Tables!.Memory.NonGcBytes), context.Series(s => s.Tables!.Memory.GcCommittedBytes));
        if (context.Snapshots.All(s => s.Graph.Info.ProcessMemory is { NonGcBytes: not null, GcHeapBytes: not null }))
            return (context.Series(s => s.Graph.Info.ProcessMemory!.NonGcBytes!.Value), context.Series(s => s.Graph.Info.ProcessMemory!.GcHeapBytes!.Value));
        return (null, null);
    }
}
