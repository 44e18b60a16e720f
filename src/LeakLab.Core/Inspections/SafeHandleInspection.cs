namespace LeakLab.Core.Inspections;

/// <summary>
/// S12: resources never closed. Keyed on the runtime's SafeHandle state in a dump (neither closed nor disposed),
/// counted per SafeHandle type; a type whose open count grows is the leak, and the retention paths of those handles
/// name who holds them.
/// </summary>
internal sealed class SafeHandleInspection : IInspection
{
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 2000;

    public string Scenario => "S12";
    public string Name => "undisposed-handles";

    public void Run(InspectionContext context)
    {
        if (!context.HasTables)
        {
            context.Note(this, "whether a SafeHandle is closed is a field value: this inspection needs dumps (an EventPipe snapshot has none)");
            return;
        }
        Dictionary<string, long[]> open = context.SeriesByKey(s => s.Tables!.SafeHandles.ToDictionary(h => h.Type, h => h.Open, StringComparer.Ordinal));
        var growing = open.Where(o => context.IsSeries ? SeriesGrowth.Grows(o.Value, MinGrowth) : o.Value[^1] >= MinOneSnapshot)
            .OrderByDescending(o => o.Value[^1]).ToList();
        if (growing.Count == 0)
            return;

        HeapAnalysis last = context.Last.Analysis;
        var nodes = new List<int>();
        foreach (var (type, _) in growing)
        {
            foreach (ulong address in context.Last.Tables!.SafeHandles.First(h => h.Type == type).OpenAddresses)
            {
                if (last.Graph.FindNode(address) is { Index: >= 0 and int n })
                    nodes.Add(n);
            }
        }
        // Holders of a handle or two (stdin, a runtime handle) are not what grows.
        IReadOnlyList<RetentionPath> holders = [.. last.Paths.GroupedPaths(nodes, 3).Where(h => h.Count * 20 >= nodes.Count)];
        foreach (RetentionPath holder in holders)
            context.Claim(holder.RootName);
        var evidence = growing.Select(g => $"open {g.Key}: {SeriesGrowth.Text(g.Value)}").ToList();
        foreach (RetentionPath holder in holders)
            evidence.Add($"held by: {InspectionContext.Describe(holder)} ({Quantity.Count(holder.Count)} handles)");
        if (!context.IsSeries)
            evidence.Add(InspectionContext.OneSnapshotCaveat);
        string rootName = holders.Count > 0 ? holders[0].RootName : growing[0].Key;
        long[] series = growing[0].Value;
        context.Add(new Finding(Scenario, $"{Quantity.Count(growing.Sum(g => g.Value[^1]))} SafeHandles ({string.Join(", ", growing.Select(g => ShortName(g.Key)))}) are never closed",
            new FindingRoot("safe handle", rootName), evidence, context.Score(series),
            "Dispose what owns these handles (using, or make the holder IDisposable and dispose it), so files, events and sockets close when the work ends.", Name) { Counts = series });
    }

    private static string ShortName(string type) => type[(type.LastIndexOf('.') + 1)..];
}
