namespace LeakLab.Core.Inspections;

/// <summary>
/// S10: a pool that grows without bound, its objects still holding per-request data. Keyed on the pool's shape: an
/// object with two collections of the same element type (the free list, and the list of everything created), one of
/// which grows along a growing retention path that continues past the pooled object to the data it keeps.
/// </summary>
internal sealed class PoolInspection : IInspection
{
    public string Scenario => "S10";
    public string Name => "pool";

    public void Run(InspectionContext context)
    {
        if (context.Comparison is not { } comparison)
        {
            context.Note(this, "one snapshot: a pool that grows needs two or more snapshots");
            return;
        }
        HeapGraph last = context.Last.Graph;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (PathTrend path in comparison.Paths.Where(p => p.Growing).OrderByDescending(p => p.Counts[^1] - p.Counts[0]))
        {
            if (reported.Contains(path.RootName) || Pool(last, path) is not { } pool)
                continue;
            reported.Add(path.RootName);
            context.Claim(path.RootName);
            RootTrend? root = comparison.Roots.FirstOrDefault(r => r.Name == path.RootName);
            var evidence = new List<string>
            {
                $"{pool.Owner} keeps every {pool.Element} it created in .{pool.Field} ({pool.Collection}) beside its free list .{pool.FreeField}",
                $"path: {InspectionContext.KindLabel(path.RootKind)} {path.RootName} → {path.Shape}; {SeriesGrowth.Text(path.Counts)} objects",
                $"pooled objects still hold per-request data: {pool.Element} → {pool.Held}",
            };
            if (root is not null)
                evidence.Add($"the pool retains {SeriesGrowth.Bytes(root.Retained)}");
            context.Add(new Finding(Scenario, $"Pool {path.RootName} grows and its objects keep request data", new FindingRoot("pool", path.RootName), evidence,
                SeriesGrowth.Score(path.Counts), "Return rented objects in a finally block, clear their per-request references on return, and bound the pool.", Name)
            { Counts = path.Counts, RetainedBytes = root?.Retained[^1] ?? 0 });
        }
    }

    private sealed record Shape(string Owner, string Field, string Collection, string Element, string FreeField, string Held);

    private static Shape? Pool(HeapGraph graph, PathTrend path)
    {
        IReadOnlyList<PathStep> steps = path.Steps;
        for (int i = 0; i + 1 < steps.Count; i++)
        {
            PathStep owner = steps[i], collection = steps[i + 1];
            if (InspectionContext.IsCollection(owner.Type) || owner.Type.EndsWith("[]", StringComparison.Ordinal)
                || !InspectionContext.IsCollection(collection.Type) || collection.Field is null)
                continue;
            if (InspectionContext.GenericArguments(collection.Type) is not [string element])
                continue;
            int at = -1;
            for (int j = i + 2; j < steps.Count; j++)
            {
                if (steps[j].Type == element)
                {
                    at = j;
                    break;
                }
            }
            // The path must go on past the pooled object: what it still holds is the point.
            if (at < 0 || at + 1 >= steps.Count)
                continue;
            string? free = FreeList(graph, owner.Type, collection.Field, element);
            if (free is null)
                continue;
            string held = string.Join(" → ", steps.Skip(at + 1).Select(s => s.Field is null or "[]" ? s.Type : $".{s.Field} {s.Type}"));
            return new Shape(owner.Type, collection.Field, collection.Type, element, free, held);
        }
        return null;
    }

    /// <summary>The other collection field of the same element type on an owner object, or null when there is none.</summary>
    private static string? FreeList(HeapGraph graph, string ownerType, string field, string element)
    {
        foreach (int t in graph.FindTypes(ownerType).Where(t => graph.TypeName(t) == ownerType))
        {
            for (int v = 0; v < graph.NodeCount; v++)
            {
                if (graph.TypeOf(v) != t)
                    continue;
                ReadOnlySpan<int> children = graph.Children(v);
                ReadOnlySpan<int> fields = graph.ChildFields(v);
                for (int i = 0; i < children.Length; i++)
                {
                    string name = graph.FieldName(fields[i]), type = graph.NodeTypeName(children[i]);
                    if (name != field && InspectionContext.IsCollection(type) && InspectionContext.GenericArguments(type) is [string e] && e == element)
                        return name;
                }
            }
        }
        return null;
    }
}
