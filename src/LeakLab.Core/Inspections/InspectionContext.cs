namespace LeakLab.Core.Inspections;

/// <summary>
/// What every inspection reads (the snapshots oldest first, their comparison, runtime tables) and writes (findings,
/// notes, claimed roots), with the graph helpers they share.
/// </summary>
/// <remarks>
/// Roots are "claimed" by the inspection that explains them through a specific runtime structure (a channel, a
/// timer, a pool…), so the generic static-collection inspection does not report the same root a second time.
/// </remarks>
internal sealed class InspectionContext
{
    private readonly Lazy<SnapshotComparison?> _comparison;
    private readonly List<Finding> _findings = [];
    private readonly List<InspectionNote> _notes = [];
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    public InspectionContext(IReadOnlyList<InspectionSnapshot> snapshots)
    {
        Snapshots = snapshots;
        _comparison = new Lazy<SnapshotComparison?>(() => snapshots.Count >= 2 ? SnapshotComparison.Compare([.. snapshots.Select(s => s.Analysis)]) : null);
    }

    public IReadOnlyList<InspectionSnapshot> Snapshots { get; }
    public InspectionSnapshot Last => Snapshots[^1];
    public int Count => Snapshots.Count;
    public bool IsSeries => Snapshots.Count >= 2;
    /// <summary>The comparison of all snapshots; null for a single snapshot.</summary>
    public SnapshotComparison? Comparison => _comparison.Value;
    /// <summary>True when every snapshot carries runtime tables (all are dumps).</summary>
    public bool HasTables => Snapshots.All(s => s.Tables is not null);
    /// <summary>True when every snapshot's references carry field names (dumps do, EventPipe snapshots do not).</summary>
    public bool HasFieldNames => Snapshots.All(s => s.Graph.Info.HasFieldNames);
    public IReadOnlyList<Finding> Findings => _findings;
    public IReadOnlyList<InspectionNote> Notes => _notes;

    public void Add(Finding finding) => _findings.Add(finding);
    public void Note(IInspection inspection, string text) => _notes.Add(new InspectionNote(inspection.Scenario, inspection.Name, text));
    public void Claim(string rootName) => _claimed.Add(rootName);
    public bool IsClaimed(string rootName) => _claimed.Contains(rootName);

    /// <summary>One value per snapshot, oldest first.</summary>
    public long[] Series(Func<InspectionSnapshot, long> measure) => [.. Snapshots.Select(measure)];

    /// <summary>
    /// For measures of many entities per snapshot (keyed by retention path, method, type…): the series of each key
    /// present in the last snapshot, 0 where a key is missing.
    /// </summary>
    public Dictionary<string, long[]> SeriesByKey(Func<InspectionSnapshot, IReadOnlyDictionary<string, long>> measure)
    {
        var perSnapshot = Snapshots.Select(measure).ToArray();
        return perSnapshot[^1].Keys.ToDictionary(k => k, k => perSnapshot.Select(m => m.GetValueOrDefault(k)).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Structures of one kind (an event's delegate, a task's continuation list, a channel…) measured in every snapshot and
    /// matched across snapshots by their retention path; only those measuring at least <paramref name="minCount"/> get
    /// a path (computing one per object would cost too much on big heaps). Each result: key, series, node in the last snapshot.
    /// </summary>
    public IReadOnlyList<(string Key, long[] Series, int Node)> Track(Func<HeapAnalysis, IEnumerable<(int Node, long Count)>> find, long minCount)
    {
        var perSnapshot = new List<Dictionary<string, (long Count, int Node)>>();
        foreach (InspectionSnapshot snapshot in Snapshots)
        {
            var found = new Dictionary<string, (long Count, int Node)>(StringComparer.Ordinal);
            foreach (var (node, count) in find(snapshot.Analysis))
            {
                if (count < minCount)
                    continue;
                string key = KeyOf(snapshot.Analysis, node);
                // Two structures on one path shape (rare): keep the bigger one.
                if (!found.TryGetValue(key, out var seen) || seen.Count < count)
                    found[key] = (count, node);
            }
            perSnapshot.Add(found);
        }
        return [.. perSnapshot[^1].Select(e => (e.Key, perSnapshot.Select(m => m.TryGetValue(e.Key, out var x) ? x.Count : 0).ToArray(), e.Value.Node))];
    }

    /// <summary>Score from a series, or a lower fixed score for one snapshot (size alone, no growth seen).</summary>
    public double Score(long[] series) => IsSeries ? SeriesGrowth.Score(series) : 0.45;

    /// <summary>The sentence added to one-snapshot findings.</summary>
    public const string OneSnapshotCaveat = "one snapshot: judged on size alone; a series of snapshots would show whether it grows";

    // ---- graph helpers -----------------------------------------------------------------------------------------

    /// <summary>The first child of <paramref name="node"/> reached through <paramref name="field"/>, or -1.</summary>
    public static int Child(HeapGraph graph, int node, string field)
    {
        ReadOnlySpan<int> children = graph.Children(node);
        ReadOnlySpan<int> fields = graph.ChildFields(node);
        for (int i = 0; i < children.Length; i++)
        {
            if (graph.FieldName(fields[i]) == field)
                return children[i];
        }
        return -1;
    }

    /// <summary>A flag per type id for the type names matching <paramref name="match"/>.</summary>
    public static bool[] Types(HeapGraph graph, Func<string, bool> match)
    {
        var flags = new bool[graph.TypeCount];
        for (int t = 0; t < flags.Length; t++)
            flags[t] = match(graph.TypeName(t));
        return flags;
    }

    /// <summary>Reachable nodes whose type is flagged.</summary>
    public static IEnumerable<int> Nodes(HeapAnalysis analysis, bool[] types)
    {
        HeapGraph graph = analysis.Graph;
        for (int v = 0; v < graph.NodeCount; v++)
        {
            if (types[graph.TypeOf(v)] && analysis.Paths.IsReachable(v))
                yield return v;
        }
    }

    /// <summary>The shortest retention path to one object, as a one-line shape with field names; its root's name.</summary>
    public static RetentionPath? PathOf(HeapAnalysis analysis, int node) =>
        node < 0 ? null : analysis.Paths.PathsToAddress(analysis.Graph.Address(node)).FirstOrDefault();

    /// <summary>A key that names the same structure in every snapshot of a process: its root and path shape.</summary>
    public static string KeyOf(HeapAnalysis analysis, int node) =>
        PathOf(analysis, node) is { } p ? $"{p.RootName}: {p.Shape}" : $"unreachable {analysis.Graph.NodeTypeName(node)}";

    /// <summary>"static field X.Y → .f T → .g U" for evidence lines.</summary>
    public static string Describe(RetentionPath path) => $"{KindLabel(path.RootKind)} {path.RootName} → {path.Shape}";

    public static string KindLabel(RootKind kind) => kind switch
    {
        RootKind.StaticField => "static field",
        RootKind.ThreadStaticField => "thread-static field",
        RootKind.StrongHandle => "strong handle",
        RootKind.PinnedHandle => "pinned handle",
        RootKind.OtherHandle => "handle",
        RootKind.ThreadStack => "thread stack",
        RootKind.FinalizerQueue => "finalizer queue",
        RootKind.Timer => "timer",
        RootKind.Event => "event",
        _ => "root",
    };

    /// <summary>The generic arguments of a normalised type name ("A&lt;B, C&lt;D&gt;&gt;" → [B, C&lt;D&gt;]); empty when not generic.</summary>
    public static IReadOnlyList<string> GenericArguments(string type)
    {
        int open = type.IndexOf('<');
        if (open < 0)
            return [];
        var args = new List<string>();
        int depth = 0, start = open + 1;
        for (int i = open + 1; i < type.Length; i++)
        {
            char c = type[i];
            if (c == '<')
                depth++;
            else if (c == '>' && depth-- == 0)
            {
                args.Add(type[start..i].Trim());
                break;
            }
            else if (c == ',' && depth == 0)
            {
                args.Add(type[start..i].Trim());
                start = i + 1;
            }
        }
        return args;
    }

    /// <summary>The BCL collections a program keeps entries in (not arrays: those are the collections' storage).</summary>
    public static bool IsCollection(string type) =>
        type.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) && !type.EndsWith("[]", StringComparison.Ordinal)
            && !type.Contains("Comparer", StringComparison.Ordinal) && !type.Contains("Enumerator", StringComparison.Ordinal)
        || type.StartsWith("System.Collections.Concurrent.", StringComparison.Ordinal) && !type.EndsWith("[]", StringComparison.Ordinal)
        || type is "System.Collections.Hashtable" or "System.Collections.ArrayList";

    /// <summary>The types of the last steps of a path: what the structure keeps, e.g. "UploadLease → Byte[]".</summary>
    public static string Tail(IReadOnlyList<PathStep> steps, int count = 2) =>
        string.Join(" → ", steps.Skip(Math.Max(0, steps.Count - count)).Select(s => s.Field is null or "[]" ? s.Type : $".{s.Field} {s.Type}"));
}
