namespace LeakLab.Core.Inspections;

/// <summary>
/// S01: a static collection (Dictionary, List, ConcurrentDictionary…) that only grows. Keyed on the root kind (static
/// field), the runtime type of the object it holds (a BCL collection) and steady growth of what it retains; roots
/// that a more specific inspection explained (channel, pool, registry, SafeHandle holder…) are left to it.
/// </summary>
internal sealed class StaticCollectionInspection : IInspection
{
    public string Scenario => "S01";
    public string Name => "static-collection";

    public void Run(InspectionContext context)
    {
        if (context.Comparison is not { } comparison)
        {
            context.Note(this, "one snapshot: a growing static collection needs two or more snapshots of the process");
            return;
        }
        HeapGraph last = context.Last.Graph;
        long heapGrowth = comparison.Types.Sum(t => t.Bytes[^1] - t.Bytes[0]);
        foreach (RootTrend root in comparison.Roots.Where(r => r.Kind == RootKind.StaticField && r.Growing))
        {
            if (context.IsClaimed(root.Name))
                continue;
            HeapRoot? heapRoot = last.Roots.FirstOrDefault(r => r.Kind == RootKind.StaticField && r.Name == root.Name);
            if (heapRoot is not { } r || !InspectionContext.IsCollection(last.NodeTypeName(r.Node)))
                continue;
            string type = last.NodeTypeName(r.Node);
            long retainedGrowth = root.Retained[^1] - root.Retained[0];
            var evidence = new List<string>
            {
                $"static field {root.Name} holds a {type}",
                $"objects it retains: {SeriesGrowth.Text(root.Counts)}; retained bytes: {SeriesGrowth.Bytes(root.Retained)}",
            };
            if (heapGrowth > 0)
                evidence.Add($"{Math.Min(100, 100.0 * retainedGrowth / heapGrowth):0}% of the reachable heap's growth ({ByteSize.Format(heapGrowth)}) is under this field");
            PathTrend? path = comparison.Paths.Where(p => p.RootName == root.Name && p.Growing).MaxBy(p => p.Counts[^1]);
            if (path is not null)
                evidence.Add($"path: static field {root.Name} → {path.Shape}; {SeriesGrowth.Text(path.Counts)} objects");
            evidence.Add(root.Reason);
            context.Add(new Finding(Scenario, $"Static collection {root.Name} only grows", new FindingRoot("static field", root.Name), evidence,
                SeriesGrowth.Score(root.Counts), "Remove entries when their work ends (also on the failure path), or bound the collection (size limit, expiry, weak references).", Name)
            { Counts = root.Counts, RetainedBytes = root.Retained[^1] });
        }
    }
}
