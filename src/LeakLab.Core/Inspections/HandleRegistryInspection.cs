namespace LeakLab.Core.Inspections;

/// <summary>
/// S09: a handle table, interop ids mapped to objects (<c>Dictionary&lt;long, object&gt;</c> and kin) in a static
/// field, whose entries the other side never releases. Keyed on the collection's runtime type: integer keys, values
/// typed <c>System.Object</c> (anything may be registered), and steady growth of its entries.
/// </summary>
internal sealed class HandleRegistryInspection : IInspection
{
    private static readonly string[] s_idTypes = ["System.Int64", "System.Int32", "System.UInt64", "System.UInt32", "System.IntPtr", "System.UIntPtr", "System.Guid"];

    public string Scenario => "S09";
    public string Name => "handle-registry";

    public void Run(InspectionContext context)
    {
        if (context.Comparison is not { } comparison)
        {
            context.Note(this, "one snapshot: a handle registry is recognised by its growth across two or more snapshots");
            return;
        }
        HeapGraph last = context.Last.Graph;
        foreach (RootTrend root in comparison.Roots.Where(r => r.Kind == RootKind.StaticField && r.Growing))
        {
            HeapRoot? heapRoot = last.Roots.FirstOrDefault(r => r.Kind == RootKind.StaticField && r.Name == root.Name);
            if (heapRoot is not { } r)
                continue;
            string type = last.NodeTypeName(r.Node);
            if (!IsHandleTable(type))
                continue;
            context.Claim(root.Name);
            var evidence = new List<string>
            {
                $"static field {root.Name} is a handle table: {type} (integer ids → any object)",
                $"objects it retains: {SeriesGrowth.Text(root.Counts)}; retained bytes: {SeriesGrowth.Bytes(root.Retained)}",
            };
            PathTrend? path = comparison.Paths.Where(p => p.RootName == root.Name && p.Growing).MaxBy(p => p.Counts[^1]);
            if (path is not null)
                evidence.Add($"path: static field {root.Name} → {path.Shape}; registered objects {SeriesGrowth.Text(path.Counts)}");
            if (context.Last.Tables?.IdKeyedTables.FirstOrDefault(t => t.Address == last.Address(r.Node)) is { } ids)
                evidence.Add($"ids {ids.MinKey:N0}..{ids.MaxKey:N0}: {ids.Count:N0} registered, {ids.Density:P0} of the range still there — released ids are rare or none");
            else
                evidence.Add("entry ages need field values: the ids (or a registration time) are in the dump, not in the graph");
            context.Add(new Finding(Scenario, $"Handle registry {root.Name} keeps every registered object", new FindingRoot("registry", root.Name), evidence,
                SeriesGrowth.Score(root.Counts), "Call the release hook when the other side is done (tie it to a SafeHandle or finalizer on that side), or hold the objects weakly (ConditionalWeakTable).", Name)
            { Counts = root.Counts, RetainedBytes = root.Retained[^1] });
        }
    }

    private static bool IsHandleTable(string type)
    {
        if (!(type.StartsWith("System.Collections.Generic.Dictionary<", StringComparison.Ordinal)
            || type.StartsWith("System.Collections.Concurrent.ConcurrentDictionary<", StringComparison.Ordinal)))
            return false;
        IReadOnlyList<string> args = InspectionContext.GenericArguments(type);
        return args.Count == 2 && s_idTypes.Contains(args[0]) && args[1] == "System.Object";
    }
}
