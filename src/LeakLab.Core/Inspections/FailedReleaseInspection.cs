namespace LeakLab.Core.Inspections;

/// <summary>
/// S13: a release that only runs on the success path. Keyed on the shape of a growing id-keyed registry's live keys
/// (read from the dump): most ids of the range were removed again, the ones left follow a pattern (one in N), so the
/// registry grows by exactly the operations that skipped the release, typically through an exception.
/// </summary>
/// <remarks>It explains a growing static collection rather than replacing it, so it claims no root.</remarks>
internal sealed class FailedReleaseInspection : IInspection
{
    private const double MaxDensity = 0.75;

    public string Scenario => "S13";
    public string Name => "failed-release";

    public void Run(InspectionContext context)
    {
        if (context.Comparison is not { } comparison)
        {
            context.Note(this, "one snapshot: a registry that grows by the failed operations needs two or more snapshots");
            return;
        }
        if (context.Last.Tables is not { } tables)
        {
            context.Note(this, "the ids a registry keeps are field values: this inspection needs dumps (an EventPipe snapshot has none)");
            return;
        }
        HeapGraph last = context.Last.Graph;
        foreach (RootTrend root in comparison.Roots.Where(r => r.Kind == RootKind.StaticField && r.Growing))
        {
            HeapRoot? heapRoot = last.Roots.FirstOrDefault(r => r.Kind == RootKind.StaticField && r.Name == root.Name);
            if (heapRoot is not { } r || tables.IdKeyedTables.FirstOrDefault(t => t.Address == last.Address(r.Node)) is not { } ids)
                continue;
            if (ids.Density > MaxDensity)
                continue;
            string pattern = ids.Stride > 1 && Math.Abs(ids.Density * ids.Stride - 1) < 0.05
                ? $"exactly one id in {ids.Stride} (every id ≡ {ids.MinKey % ids.Stride} mod {ids.Stride})"
                : $"{ids.Density:P0} of the ids";
            var evidence = new List<string>
            {
                $"static field {root.Name} ({ids.Type}) keeps ids {ids.MinKey:N0}..{ids.MaxKey:N0}: {ids.Count:N0} entries, {pattern}",
                "the other ids of the range were added and removed again: the release runs on one path and not on another",
                $"entries grow with the failed operations: retained objects {SeriesGrowth.Text(root.Counts)}, bytes {SeriesGrowth.Bytes(root.Retained)}",
            };
            PathTrend? path = comparison.Paths.Where(p => p.RootName == root.Name && p.Growing).MaxBy(p => p.Counts[^1]);
            if (path is not null)
                evidence.Add($"path: static field {root.Name} → {path.Shape}");
            context.Add(new Finding(Scenario, $"Registry {root.Name} keeps the entries of failed operations", new FindingRoot("registry", root.Name), evidence,
                SeriesGrowth.Score(root.Counts), "Release in a finally block (or with using), so an exception between acquire and release cannot skip it.", Name)
            { Counts = root.Counts, RetainedBytes = root.Retained[^1] });
        }
    }
}
