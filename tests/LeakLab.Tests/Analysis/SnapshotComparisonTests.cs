using Xunit;

namespace LeakLab.Tests.Analysis;

public class SnapshotComparisonTests
{
    /// <summary>How many objects of each kind one hand-built snapshot holds.</summary>
    private sealed record Shape(int Leak, int Churn = 300, int Flat = 500, int Noise = 1000, int Garbage = 0, bool Fresh = false, bool Old = false, int Pid = 42);

    /// <summary>
    /// static App.Cache -> Dictionary -> Entry[] ._entries -> Leak[] (the leak); static App.Pool -> List -> Churn[]
    /// (bounded, up and down); static App.Flat -> Flat[]; thread stack -> Noise[]; unreachable Garbage.
    /// </summary>
    private static HeapAnalysis Snapshot(Shape s)
    {
        var b = new HeapGraphBuilder();
        int Container(string root, string type, string itemType, int items, int itemSize, RootKind kind = RootKind.StaticField)
        {
            NodeId holder = b.AddNode(type, 48);
            NodeId array = b.AddNode(type + "+Entry[]", 32 + 8L * items);
            b.AddEdge(holder, array, "_entries");
            for (int i = 0; i < items; i++)
                b.AddEdge(array, b.AddNode(itemType, itemSize), (FieldId)FieldIds.ArrayElement);
            b.AddRoot(kind, root, holder);
            return holder;
        }
        Container("App.Cache", "Dictionary<System.String, App.Leak>", "App.Leak", s.Leak, 200);
        Container("App.Pool", "List<App.Churn>", "App.Churn", s.Churn, 100);
        Container("App.Flat", "List<App.Flat>", "App.Flat", s.Flat, 100);
        Container("thread #1 in App.Main", "App.Frame", "App.Noise", s.Noise, 40, RootKind.ThreadStack);
        for (int i = 0; i < s.Garbage; i++)
            b.AddNode("App.Garbage", 1000); // unreachable: GC would collect it
        if (s.Fresh)
            b.AddRoot(RootKind.StaticField, "App.Fresh", b.AddNode("App.Fresh", 16));
        if (s.Old)
            b.AddRoot(RootKind.StaticField, "App.Old", b.AddNode("App.Old", 16));
        return new HeapAnalysis(b.Build(new SnapshotInfo { SourceKind = "test", ProcessId = s.Pid }));
    }

    private static SnapshotComparison Compare(params Shape[] shapes) => SnapshotComparison.Compare(shapes.Select(Snapshot).ToList());

    /// <summary>Snapshots where static App.&lt;type&gt; holds counts[s] objects of each type (itemSize bytes each).</summary>
    private static SnapshotComparison CompareSeries(params (string Type, int ItemSize, int[] Counts)[] series) => CompareSeriesAt(null, series);

    /// <summary>As <see cref="CompareSeries"/>, each snapshot recording its capture time <paramref name="seconds"/>[s] after a start.</summary>
    private static SnapshotComparison CompareSeriesAt(double[]? seconds, params (string Type, int ItemSize, int[] Counts)[] series)
    {
        int k = series[0].Counts.Length;
        var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var snapshots = Enumerable.Range(0, k).Select(s =>
        {
            var b = new HeapGraphBuilder();
            foreach (var (type, itemSize, counts) in series)
            {
                NodeId array = b.AddNode(type + "[]", 32 + 8L * counts[s]);
                for (int i = 0; i < counts[s]; i++)
                    b.AddEdge(array, b.AddNode(type, itemSize), (FieldId)FieldIds.ArrayElement);
                b.AddRoot(RootKind.StaticField, "App.Holder." + type, array);
            }
            return new HeapAnalysis(b.Build(new SnapshotInfo
            {
                SourceKind = "test", ProcessId = 7, CapturedAt = seconds is null ? null : start.AddSeconds(seconds[s]),
            }));
        }).ToList();
        return SnapshotComparison.Compare(snapshots);
    }

    /// <summary>
    /// Three dumps 5 s apart, then one 150 s later: the last interval carries 95% of the growth only because it is 30
    /// times longer. With the capture times recorded that is steady growth; the same counts at equal spacing are a step.
    /// </summary>
    [Fact]
    public void A_long_last_interval_is_steady_growth_when_the_capture_times_say_so()
    {
        (string, int, int[]) leak = ("App.Leak", 200, [1615, 2591, 3648, 34004]);
        TypeTrend timed = CompareSeriesAt([0, 5, 10, 160], leak).Types.Single(t => t.Type == "App.Leak");
        Assert.True(timed.Growing, timed.Reason);
        TypeTrend untimed = CompareSeries(leak).Types.Single(t => t.Type == "App.Leak");
        Assert.False(untimed.Growing, untimed.Reason);

        // A real step stays a step with times: 0 → 2,451 → 2,452 at equal spacing.
        TypeTrend step = CompareSeriesAt([0, 5, 10], ("App.Metadata", 40, [0, 2451, 2452])).Types.Single(t => t.Type == "App.Metadata");
        Assert.False(step.Growing, step.Reason);
    }

    /// <summary>Issue 8, 5a: the runtime's EventPipe metadata appears with the first snapshot and then holds.</summary>
    [Fact]
    public void A_one_off_step_is_not_steady_growth()
    {
        var c = CompareSeries(("App.Metadata", 40, [0, 2451, 2452]), ("App.Leak", 200, [1000, 1300, 1600]));
        TypeTrend metadata = c.Types.Single(t => t.Type == "App.Metadata");
        Assert.False(metadata.Growing, metadata.Reason);
        Assert.Contains("one-off step", metadata.Reason);
        Assert.Equal("App.Leak", c.Types[0].Type);
        Assert.True(c.Types[0].Growing);
        RootTrend root = c.Roots.Single(r => r.Name == "App.Holder.App.Metadata");
        Assert.False(root.Growing, root.Reason);
        Assert.Equal("App.Holder.App.Leak", c.Roots[0].Name);
    }

    /// <summary>Issue 8, 5b: +20 objects and +80 KiB per interval on 6,000 (+0.3%) is a leak; fast growth scores higher.</summary>
    [Fact]
    public void A_slow_steady_leak_on_a_large_base_grows_with_a_lower_score_than_fast_growth()
    {
        var c = CompareSeries(
            ("App.Slow", 4096, [6000, 6020, 6040, 6060]),
            ("App.Fast", 4096, [1000, 1500, 2000, 2500]),
            ("App.Noise", 100, [6000, 6031, 5990, 6025]));
        TypeTrend slow = c.Types.Single(t => t.Type == "App.Slow"), fast = c.Types.Single(t => t.Type == "App.Fast");
        Assert.True(slow.Growing, slow.Reason);
        Assert.True(fast.Growing, fast.Reason);
        Assert.True(fast.Score > slow.Score, $"fast {fast.Score}, slow {slow.Score}");
        Assert.Equal(["App.Fast", "App.Slow"], c.Types.Where(t => t.Growing && !t.Type.EndsWith("[]")).Select(t => t.Type));
        Assert.False(c.Types.Single(t => t.Type == "App.Noise").Growing);
        Assert.True(c.Roots.Single(r => r.Name == "App.Holder.App.Slow").Growing);

        // With three snapshots too: +40 objects and +160 KiB, rising in both intervals.
        var three = CompareSeries(("App.Slow", 4096, [6000, 6020, 6040]));
        Assert.True(three.Types.Single(t => t.Type == "App.Slow").Growing);
    }

    [Fact]
    public void Steady_growth_ranks_first_and_churn_noise_flat_and_garbage_do_not_grow()
    {
        var c = Compare(
            new Shape(Leak: 1000, Churn: 300, Noise: 1000, Garbage: 0, Old: true),
            new Shape(Leak: 2000, Churn: 380, Noise: 1010, Garbage: 900, Fresh: true),
            new Shape(Leak: 3000, Churn: 290, Noise: 1020, Garbage: 2000, Fresh: true));

        TypeTrend top = c.Types[0];
        Assert.Equal("App.Leak", top.Type);
        Assert.True(top.Growing);
        Assert.Equal([1000L, 2000L, 3000L], top.Counts);
        Assert.Equal([200_000L, 400_000L, 600_000L], top.Bytes);
        Assert.Equal("count grew 1,000 → 2,000 → 3,000 (+200%) at every snapshot; bytes +390.6 KiB; retained +390.6 KiB", top.Reason);
        Assert.InRange(top.Score, 0.5, 1.0);

        TypeTrend Type(string name) => c.Types.Single(t => t.Type == name);
        Assert.False(Type("App.Churn").Growing);
        Assert.Contains("up and down", Type("App.Churn").Reason);
        Assert.False(Type("App.Noise").Growing); // +2%: below the relative floor
        Assert.Contains("below the growth floor", Type("App.Noise").Reason);
        Assert.False(Type("App.Flat").Growing);
        Assert.Equal("count flat at 500", Type("App.Flat").Reason);
        Assert.DoesNotContain(c.Types, t => t.Type == "App.Garbage"); // unreachable objects never count

        // Every growing type is explained by the leak: the item type, its array and the dictionary retaining them.
        Assert.Equal(
            ["App.Leak", "Dictionary<System.String, App.Leak>", "Dictionary<System.String, App.Leak>+Entry[]"],
            c.Types.Where(t => t.Growing).Select(t => t.Type).Order(StringComparer.Ordinal));

        RootTrend root = c.Roots[0];
        Assert.Equal((RootKind.StaticField, "App.Cache", true), (root.Kind, root.Name, root.Growing));
        Assert.Equal([1002L, 2002L, 3002L], root.Counts);
        Assert.Single(c.Roots, r => r.Growing);

        PathTrend path = c.Paths[0];
        Assert.True(path.Growing);
        Assert.Equal("App.Cache", path.RootName);
        Assert.Equal(
            [("Dictionary<System.String, App.Leak>", (string?)null), ("Dictionary<System.String, App.Leak>+Entry[]", "_entries"), ("App.Leak", "[]")],
            path.Steps.Select(s => (s.Type, s.Field)));
        Assert.Equal([1000L, 2000L, 3000L], path.Counts);
        Assert.DoesNotContain(c.Paths, p => p.Growing && p.RootName != "App.Cache");

        Assert.Equal(["App.Fresh"], c.NewTypes);
        Assert.Equal(["App.Old"], c.GoneTypes);
        Assert.Equal([0L, 1L, 1L], Type("App.Fresh").Counts);
        Assert.Contains("gone", Type("App.Old").Reason);
        Assert.Equal(c.Types.Count - 2, c.CommonTypeCount);
        Assert.Equal(3, c.Snapshots.Count);
    }

    [Fact]
    public void Tiny_dips_are_tolerated_but_real_dips_are_churn()
    {
        var tolerated = Compare(new Shape(1000), new Shape(1500), new Shape(1495), new Shape(2100));
        Assert.True(tolerated.Types.Single(t => t.Type == "App.Leak").Growing);
        Assert.Contains("in 2 of 3 intervals", tolerated.Types.Single(t => t.Type == "App.Leak").Reason);

        var churn = Compare(new Shape(1000), new Shape(1500), new Shape(1300), new Shape(2100));
        Assert.False(churn.Types.Single(t => t.Type == "App.Leak").Growing);
    }

    [Fact]
    public void A_bounded_cache_with_churn_marks_nothing_growing()
    {
        // What the sample's control workload looks like once its cache is full.
        var c = Compare(
            new Shape(Leak: 5000, Churn: 1000, Noise: 1000, Garbage: 100),
            new Shape(Leak: 4990, Churn: 1200, Noise: 1004, Garbage: 3000),
            new Shape(Leak: 5003, Churn: 1100, Noise: 1009, Garbage: 50));
        Assert.DoesNotContain(c.Types, t => t.Growing);
        Assert.DoesNotContain(c.Roots, r => r.Growing);
        Assert.DoesNotContain(c.Paths, p => p.Growing);
    }

    [Fact]
    public void Two_snapshots_need_a_larger_delta_and_say_so()
    {
        var c = Compare(new Shape(Leak: 1000, Churn: 300), new Shape(Leak: 1600, Churn: 420));
        TypeTrend leak = c.Types.Single(t => t.Type == "App.Leak");
        Assert.True(leak.Growing);
        Assert.Contains("take a third snapshot", leak.Reason);
        Assert.False(c.Types.Single(t => t.Type == "App.Churn").Growing); // +120 objects: enough for three snapshots, not for two
        Assert.Equal("App.Leak", c.Types[0].Type);
    }

    [Fact]
    public void Bad_input_gets_a_clear_message()
    {
        var one = Assert.Throws<LeakLabException>(() => SnapshotComparison.Compare([Snapshot(new Shape(1))]));
        Assert.Equal(LeakLabErrorKind.NotReady, one.Kind);
        var mixed = Assert.Throws<LeakLabException>(() => SnapshotComparison.Compare([Snapshot(new Shape(1, Pid: 1)), Snapshot(new Shape(1, Pid: 2))]));
        Assert.Equal(LeakLabErrorKind.BadArgument, mixed.Kind);
    }
}
