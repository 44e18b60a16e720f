namespace LeakLab.Tests.Live;

/// <summary>The watch's leak rule on hand-built GC timelines and snapshots: live-byte growth, the memory-limit share, and the stack it names.</summary>
public class LeakWarningTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A gen2 GC whose generation sizes total <paramref name="size"/> and that promoted <paramref name="live"/> bytes.</summary>
    private static GcRecord Gen2(int n, long size, long live) =>
        new(s_t0.AddSeconds(n), n, 2, "Induced", "NonConcurrentGC", 10, 10, [0, 0, size, 0, 0], live);

    private static SnapshotComparison Growing(params int[] leaked) =>
        SnapshotComparison.Compare([.. leaked.Select((n, i) => new HeapAnalysis(Notebooks.TestGraphs.StaticCache(n, $"s{i + 1}")))]);

    [Fact]
    public void LiveBytesThatGrowFireEvenWhenTheGenerationSizesStayFlat()
    {
        // A compacting GC keeps the sizes flat while what it promotes (what is reachable) grows by 3 MB.
        GcRecord[] gcs = [Gen2(1, 20_000_000, 10_000_000), Gen2(2, 20_000_000, 11_500_000), Gen2(3, 19_900_000, 13_000_000)];
        LeakWarning warning = LeakWarning.Judge(gcs, comparison: null);
        Assert.True(warning.Alert, warning.Reason);
        Assert.Equal([10_000_000L, 11_500_000, 13_000_000], warning.LiveAfterGen2);
        Assert.Contains("live bytes after the last 3 gen2 GCs grew each time, by 3,000,000 bytes", warning.Reason);
    }

    [Theory]
    [InlineData(10_000_000, 10_100_000, 10_050_000)] // not rising each time
    [InlineData(10_000_000, 10_001_000, 10_002_000)] // rising, but by less than 256 KiB
    public void FlatOrTinyGrowthDoesNotFire(long a, long b, long c)
    {
        LeakWarning warning = LeakWarning.Judge([Gen2(1, a, a), Gen2(2, b, b), Gen2(3, c, c)], comparison: null);
        Assert.False(warning.Alert, warning.Reason);
    }

    [Fact]
    public void AHeapOverHalfTheMemoryLimitThatGrewSinceTheStartFires()
    {
        // Not steady (it dipped), but after the last gen2 GC 60% of a 100 MB limit, more than at the start.
        GcRecord[] gcs = [Gen2(1, 40_000_000, 40_000_000), Gen2(2, 62_000_000, 62_000_000), Gen2(3, 60_000_000, 60_000_000)];
        var limit = new MemoryLimit(100_000_000, "DOTNET_GCHeapHardLimit");
        Assert.False(LeakWarning.Judge(gcs, null).Alert);
        LeakWarning warning = LeakWarning.Judge(gcs, null, limit);
        Assert.True(warning.Alert, warning.Reason);
        Assert.Contains("60% of the 100,000,000-byte memory limit (DOTNET_GCHeapHardLimit)", warning.Reason);
        // Under the share, or not above where the watch started: no alert.
        Assert.False(LeakWarning.Judge(gcs, null, new MemoryLimit(200_000_000, "x")).Alert);
        Assert.False(LeakWarning.Judge([Gen2(1, 70_000_000, 70_000_000), Gen2(2, 65_000_000, 65_000_000), Gen2(3, 60_000_000, 60_000_000)], null, limit).Alert);
    }

    [Fact]
    public void TheGrowingTypesTopAllocationStackIsNamedAndNoGrowingTypeMeansNoAlert()
    {
        GcRecord[] gcs = [Gen2(1, 1_000_000, 1_000_000), Gen2(2, 2_000_000, 2_000_000), Gen2(3, 3_000_000, 3_000_000)];
        AllocationStack top = new("System.Byte[]", ["App.Cache.Add(int32)", "App.Program.Main(class System.String[])"], 12, 1_228_800);
        AllocationStack other = new("System.Byte[]", ["App.Other.Run()"], 2, 204_800);
        LeakWarning warning = LeakWarning.Judge(gcs, Growing(100, 200, 300), stacksOf: t => t == "System.Byte[]" ? [top, other] : []);
        Assert.True(warning.Alert, warning.Reason);
        Assert.Equal([top], warning.Stacks);
        Assert.Contains("System.Byte[] allocated at App.Cache.Add ← App.Program.Main (12 samples)", warning.Reason);

        LeakWarning steady = LeakWarning.Judge(gcs, Growing(100, 100, 100), stacksOf: _ => [top]);
        Assert.False(steady.Alert, steady.Reason);
        Assert.Empty(steady.Stacks);
    }

    [Fact]
    public void StacksDescribeInnermostFirstWithoutParameters()
    {
        var stack = new AllocationStack("T", ["A.B.C(int32,bool)", "D.E()", "F.G", "H.I()", "J.K()"], 1, 1);
        Assert.Equal("A.B.C ← D.E ← F.G ← …", stack.Describe(3));
        Assert.Equal("(no stack)", new AllocationStack("T", [], 1, 1).Describe());
    }

    [Fact]
    public void DescribeNamesTypesAndMethodsAsTheHostShowsThem()
    {
        GcRecord[] gcs = [Gen2(1, 1_000_000, 1_000_000), Gen2(2, 2_000_000, 2_000_000), Gen2(3, 3_000_000, 3_000_000)];
        AllocationStack top = new("System.Byte[]", ["App.Cache.Add(int32)", "App.Program.Main(class System.String[])"], 12, 1_228_800);
        LeakWarning warning = LeakWarning.Judge(gcs, Growing(100, 200, 300), stacksOf: t => t == "System.Byte[]" ? [top] : []);
        Assert.Equal(warning.Reason, warning.Describe(n => n, m => m)); // the full names are the Reason

        string shortened = warning.Describe(ShortNames.Type, ShortNames.Member);
        Assert.Contains("growing across 3 snapshots: ", shortened);
        Assert.DoesNotContain("System.", shortened);
        Assert.Contains("Byte[] allocated at Cache.Add ← Program.Main (12 samples)", shortened);
        Assert.StartsWith(warning.HeapReason + "; ", shortened);
        Assert.DoesNotContain("allocated at", warning.Describe(ShortNames.Type, ShortNames.Member, withStack: false));
    }

    [Fact]
    public void TheSentenceCountsTheGrowingTypesItDoesNotName()
    {
        TypeTrend Trend(string type) => new(type, [1, 2, 3], [10, 20, 30], [10, 20, 30], true, 1, "grows");
        var four = new LeakWarning(true, "", [], [Trend("A"), Trend("B"), Trend("C"), Trend("D")], [], null) { SnapshotCount = 3 };
        Assert.EndsWith("growing across 3 snapshots: A, B, C and 1 more", four.Describe(n => n, m => m));
        var three = four with { Growing = four.Growing.Take(3).ToList() };
        Assert.EndsWith("growing across 3 snapshots: A, B, C", three.Describe(n => n, m => m));
    }

    [Theory]
    [InlineData(24, 102_412)]          // a small object stands for about the mean distance (100 KB) plus half its size
    [InlineData(1024, 102_912)]
    [InlineData(10_485_760, 10_485_760)] // a 10 MB object is always sampled: it stands for itself
    public void RandomizedSamplesStandForTheirInverseProbability(long size, long expected)
    {
        Assert.InRange(LiveTrace.RandomizedWeight(size), expected - 2, expected + 2);
    }
}
