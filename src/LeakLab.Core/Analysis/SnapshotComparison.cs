namespace LeakLab.Core.Analysis;

/// <summary>
/// Two or more snapshots of one process compared in time order: per type, per root and per retention-path
/// shape, with a growth classifier that ranks suspects.
/// </summary>
/// <remarks>
/// Only reachable objects count: garbage the GC has not collected yet comes and goes between snapshots and would
/// read as churn or growth at random. Types are matched by normalised name, roots by (kind, name), paths by shape
/// (root plus type.field steps, runs of one step collapsed), so the answer can be "this dictionary in that static
/// field grows", not only "byte[] grows". See <see cref="GrowthClassifier"/> for what counts as growing.
/// </remarks>
public sealed class SnapshotComparison
{
    /// <summary>How many path shapes are kept (growing ones first): enough to explain a heap, bounded for output.</summary>
    internal const int MaxPaths = 300;
    internal const int MaxGrowingPaths = 200;

    private SnapshotComparison(IReadOnlyList<SnapshotInfo> snapshots, IReadOnlyList<TypeTrend> types, IReadOnlyList<RootTrend> roots,
        IReadOnlyList<PathTrend> paths, IReadOnlyList<string> newTypes, IReadOnlyList<string> goneTypes, int commonTypeCount)
    {
        Snapshots = snapshots;
        Types = types;
        Roots = roots;
        Paths = paths;
        NewTypes = newTypes;
        GoneTypes = goneTypes;
        CommonTypeCount = commonTypeCount;
    }

    /// <summary>
    /// Compares snapshots in the order they were taken (<see cref="CaptureOrder"/>): by the capture times recorded in
    /// the files, or as given (oldest first) when a file records none. <see cref="Order"/> says which.
    /// </summary>
    public static SnapshotComparison CompareInCaptureOrder(IReadOnlyList<HeapAnalysis> snapshots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        return CompareInCaptureOrder([.. snapshots.Select(s => s.Graph.Info)], i => snapshots[i], cancellationToken);
    }

    /// <summary>
    /// As <see cref="CompareInCaptureOrder(IReadOnlyList{HeapAnalysis}, CancellationToken)"/>, holding one snapshot at a time: each is
    /// loaded by <paramref name="load"/> (given its index in <paramref name="infos"/>) when its turn comes, reduced
    /// to per-type, per-root and per-shape sums, and let go before the next is loaded. Memory is then one graph
    /// with its analyses, plus the sums, whatever the number of snapshots.
    /// </summary>
    /// <param name="infos">Each snapshot's <see cref="HeapGraph.Info"/>, to order them and check they are one process.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled; the analyses keep what they finished.</exception>
    public static SnapshotComparison CompareInCaptureOrder(IReadOnlyList<SnapshotInfo> infos, Func<int, HeapAnalysis> load,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infos);
        ArgumentNullException.ThrowIfNull(load);
        IReadOnlyList<int> order = CaptureOrder.Sort([.. Enumerable.Range(0, infos.Count)], i => infos[i], out string note);
        SnapshotComparison comparison = Compare([.. order.Select(i => infos[i])], s => load(order[s]), cancellationToken);
        comparison.Order = note;
        return comparison;
    }

    /// <summary>Compares snapshots given oldest first. Computes dominators and shortest paths of each if not yet done.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; the analyses keep what they finished.</exception>
    public static SnapshotComparison Compare(IReadOnlyList<HeapAnalysis> snapshots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        return Compare([.. snapshots.Select(s => s.Graph.Info)], s => snapshots[s], cancellationToken);
    }

    /// <summary>
    /// As <see cref="CompareInCaptureOrder(IReadOnlyList{SnapshotInfo}, Func{int, HeapAnalysis}, CancellationToken)"/>,
    /// from snapshots already reduced (in any order, see <see cref="SnapshotSums"/>); the same answer.
    /// </summary>
    internal static SnapshotComparison CompareInCaptureOrder(IReadOnlyList<SnapshotSums> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        IReadOnlyList<int> order = CaptureOrder.Sort([.. Enumerable.Range(0, sums.Count)], i => sums[i].Info, out string note);
        SnapshotComparison comparison = Compare([.. order.Select(i => sums[i].Info)], s => sums[order[s]]);
        comparison.Order = note;
        return comparison;
    }

    private static SnapshotComparison Compare(IReadOnlyList<SnapshotInfo> infos, Func<int, HeapAnalysis> load, CancellationToken cancellationToken) =>
        Compare(infos, s => SnapshotSums.Of(load(s), cancellationToken));

    // Merges in the order given: the first snapshot to name a type, root or shape places it, which breaks ties in the
    // trends' order, so merging in capture order gives the same answer however the sums were computed.
    private static SnapshotComparison Compare(IReadOnlyList<SnapshotInfo> infos, Func<int, SnapshotSums> sumsOf)
    {
        if (infos.Count < 2)
            throw new LeakLabException(LeakLabErrorKind.NotReady, $"Comparing needs at least two snapshots of one process (got {infos.Count}); take another snapshot and pass them oldest first.");
        var pids = infos.Select(s => s.ProcessId).Where(p => p is not null).Distinct().ToList();
        if (pids.Count > 1)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"The snapshots come from different processes (pids {string.Join(", ", pids)}); compare snapshots of one process.");

        int k = infos.Count;
        double[]? intervals = GrowthClassifier.Intervals(infos.Select(s => s.CapturedAt).ToList());
        var types = new Dictionary<string, Series>(StringComparer.Ordinal);
        var roots = new Dictionary<(RootKind, string), Series>();
        var shapes = new GlobalShapes(k);

        for (int s = 0; s < k; s++)
        {
            SnapshotSums sums = sumsOf(s);
            AddTypes(sums, s, k, types);
            AddRoots(sums, s, k, roots);
            shapes.Add(sums, s);
        }

        var typeTrends = types
            .Select(t =>
            {
                var v = GrowthClassifier.Judge(t.Value.Counts, t.Value.Bytes, t.Value.Retained, intervals);
                return new TypeTrend(t.Key, t.Value.Counts, t.Value.Bytes, t.Value.Retained, v.Growing, v.Score, v.Reason);
            })
            .OrderByDescending(t => t.Growing)
            .ThenByDescending(t => t.Growing ? t.Score : 0)
            .ThenByDescending(t => t.Bytes[^1])
            .ThenBy(t => t.Type, StringComparer.Ordinal)
            .ToList();

        var rootTrends = roots
            .Where(r => r.Value.Counts.Any(c => c > 0)) // roots that only name objects another root claimed first
            .Select(r =>
            {
                var v = GrowthClassifier.Judge(r.Value.Counts, null, r.Value.Retained, intervals);
                return new RootTrend(r.Key.Item1, r.Key.Item2, r.Value.Counts, r.Value.Retained, v.Growing, v.Score, v.Reason);
            })
            .OrderByDescending(r => r.Growing)
            .ThenByDescending(r => r.Growing ? r.Score : 0)
            .ThenByDescending(r => r.Retained[^1])
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

        var present = types.ToDictionary(t => t.Key, t => (First: t.Value.Counts[0] > 0, Last: t.Value.Counts[^1] > 0));
        var newTypes = present.Where(p => !p.Value.First && p.Value.Last).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var goneTypes = present.Where(p => p.Value.First && !p.Value.Last).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        int common = present.Count(p => p.Value.First && p.Value.Last);

        return new SnapshotComparison(infos, typeTrends, rootTrends, shapes.Trends(intervals),
            newTypes, goneTypes, common);
    }

    public IReadOnlyList<SnapshotInfo> Snapshots { get; }
    /// <summary>How the snapshots were put in order (by recorded capture times, or as given and why); null when given.</summary>
    public string? Order { get; private set; }
    /// <summary>Every type with reachable instances in any snapshot; suspects (growing, by score) first, then by bytes in the last snapshot.</summary>
    public IReadOnlyList<TypeTrend> Types { get; }
    /// <summary>Roots that retain something in some snapshot; suspects first, then by retained bytes in the last snapshot.</summary>
    public IReadOnlyList<RootTrend> Roots { get; }
    /// <summary>Retention-path shapes: growing ones first (by score), then the largest, at most a few hundred.</summary>
    public IReadOnlyList<PathTrend> Paths { get; }
    /// <summary>Types absent from the first snapshot and present in the last.</summary>
    public IReadOnlyList<string> NewTypes { get; }
    /// <summary>Types present in the first snapshot and absent from the last.</summary>
    public IReadOnlyList<string> GoneTypes { get; }
    /// <summary>Types present in both the first and the last snapshot.</summary>
    public int CommonTypeCount { get; }

    private static void AddTypes(SnapshotSums sums, int s, int k, Dictionary<string, Series> types)
    {
        foreach (var (name, row) in sums.Types)
        {
            if (!types.TryGetValue(name, out var series))
                types.Add(name, series = new Series(k));
            // Two type ids with one name (a loader that did not intern) add up.
            series.Counts[s] += row.Count;
            series.Bytes[s] += row.Bytes;
            series.Retained[s] += row.Retained;
        }
    }

    private static void AddRoots(SnapshotSums sums, int s, int k, Dictionary<(RootKind, string), Series> roots)
    {
        foreach (var (kind, name, row) in sums.Roots)
        {
            if (!roots.TryGetValue((kind, name), out var series))
                roots.Add((kind, name), series = new Series(k));
            // Roots sharing a name (several locals of one frame) add up; each object counts for one root only.
            series.Counts[s] += row.Count;
            series.Retained[s] += row.Retained;
        }
    }

    private sealed class Series(int k)
    {
        public readonly long[] Counts = new long[k];
        public readonly long[] Bytes = new long[k];
        public readonly long[] Retained = new long[k];
    }

    /// <summary>Path shapes interned across snapshots by content: root (kind, name) and (type name, field name) steps.</summary>
    private sealed class GlobalShapes(int k)
    {
        private readonly Dictionary<(int Parent, string Type, string? Field), int> _ids = new();
        private readonly Dictionary<(RootKind, string), int> _rootIds = new();
        private readonly List<(RootKind Kind, string Name)> _rootKeys = [];
        private readonly List<int> _parent = [];
        private readonly List<int> _rootKey = [];
        private readonly List<string> _type = [];
        private readonly List<string?> _field = [];
        private readonly List<int> _maxRun = [];
        private readonly List<Series> _series = [];

        public void Add(SnapshotSums sums, int s)
        {
            // Local shapes come parents first, so one forward pass maps them all.
            var global = new int[sums.Shapes.Count];
            for (int i = 0; i < global.Length; i++)
            {
                SnapshotSums.ShapeRow local = sums.Shapes[i];
                int parent;
                if (local.Parent < 0)
                {
                    if (!_rootIds.TryGetValue(local.RootKey, out int rk))
                    {
                        rk = _rootKeys.Count;
                        _rootKeys.Add(local.RootKey);
                        _rootIds.Add(local.RootKey, rk);
                    }
                    parent = ~rk;
                }
                else
                {
                    parent = global[local.Parent];
                }
                int g = global[i] = Intern(parent, local.Type, local.Field);
                _maxRun[g] = Math.Max(_maxRun[g], local.MaxRun);
                Series series = _series[g];
                series.Counts[s] += local.Sums.Count;
                series.Bytes[s] += local.Sums.Bytes;
                series.Retained[s] += local.Sums.Retained;
            }
        }

        public IReadOnlyList<PathTrend> Trends(double[]? intervals)
        {
            var judged = new List<(int Shape, GrowthClassifier.Verdict Verdict)>(_series.Count);
            for (int i = 0; i < _series.Count; i++)
                judged.Add((i, GrowthClassifier.Judge(_series[i].Counts, _series[i].Bytes, _series[i].Retained, intervals)));

            var growing = judged.Where(j => j.Verdict.Growing)
                .OrderByDescending(j => j.Verdict.Score).ThenByDescending(j => _series[j.Shape].Bytes[^1]).ThenBy(j => j.Shape)
                .Take(MaxGrowingPaths);
            var rest = judged.Where(j => !j.Verdict.Growing)
                .OrderByDescending(j => _series[j.Shape].Bytes[^1]).ThenBy(j => j.Shape);
            return growing.Concat(rest).Take(MaxPaths).Select(j => ToTrend(j.Shape, j.Verdict)).ToList();
        }

        private PathTrend ToTrend(int shape, GrowthClassifier.Verdict verdict)
        {
            var chain = new List<int>();
            for (int x = shape; x >= 0; x = _parent[x])
                chain.Add(x);
            chain.Reverse();
            var steps = chain.Select(x => new PathStep(_type[x], _field[x], Math.Max(1, _maxRun[x]))).ToList();
            var (kind, name) = _rootKeys[_rootKey[shape]];
            Series series = _series[shape];
            return new PathTrend(kind, name, steps, series.Counts, series.Bytes, series.Retained, verdict.Growing, verdict.Score, verdict.Reason);
        }

        private int Intern(int parent, string type, string? field)
        {
            if (_ids.TryGetValue((parent, type, field), out int id))
                return id;
            id = _type.Count;
            _parent.Add(parent < 0 ? -1 : parent);
            _rootKey.Add(parent < 0 ? ~parent : _rootKey[parent]);
            _type.Add(type);
            _field.Add(field);
            _maxRun.Add(0);
            _series.Add(new Series(k));
            _ids.Add((parent, type, field), id);
            return id;
        }
    }
}
