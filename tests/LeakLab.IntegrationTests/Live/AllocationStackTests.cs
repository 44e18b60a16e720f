using LeakLab.IntegrationTests.Notebooks;

namespace LeakLab.IntegrationTests.Live;

/// <summary>
/// Allocation samples with call stacks on the real static-cache sample, from both runtime events, and the lifetime
/// charts drawn in Chromium.
/// </summary>
public sealed class AllocationStackTests
{
    // The sample's allocating method (read from sampledata/LeakLab.Sample/Scenarios/StaticCacheScenario.cs): the
    // check below only looks for it among frames the runtime reported.
    private const string AllocatingMethod = "LeakLab.Sample.OrderProcessor.Submit";

    private sealed class Samples : ILiveTraceListener
    {
        private readonly List<AllocationSample> _samples = [];
        public List<AllocationSample> All { get { lock (_samples) return [.. _samples]; } }
        public void OnCounter(RuntimeCounterSample sample) { }
        public void OnGc(GcRecord gc) { }
        public void OnAllocation(AllocationSample sample) { lock (_samples) _samples.Add(sample); }
    }

    [Fact]
    public async Task Both_samplers_name_the_allocating_method_of_the_cached_payloads()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "2000");
        var randomized = new Samples();
        var tick = new Samples();
        // One after the other: while a session enables randomized sampling, the runtime sends (almost) no GCAllocationTick.
        foreach ((Samples listener, AllocationSampler sampler) in new[] { (tick, AllocationSampler.Tick), (randomized, AllocationSampler.Randomized) })
        {
            using LiveTrace trace = LiveTrace.Start(sample.Pid, listener, new LiveTraceOptions { Sampler = sampler });
            Assert.Equal(sampler, trace.Sampler);
            await Task.Delay(TimeSpan.FromSeconds(3));
            trace.Stop();
        }

        foreach ((string name, List<AllocationSample> samples) in new[] { ("AllocationSampled", randomized.All), ("GCAllocationTick", tick.All) })
        {
            Assert.True(samples.Count >= 10, $"{name}: {samples.Count} samples");
            // The payloads (byte[1024], most of what the sample allocates) come from Submit, innermost managed frame first.
            var payloads = samples.Where(s => s.TypeName == "System.Byte[]").ToList();
            Assert.True(payloads.Count > 0, $"{name}: no byte[] sample among {string.Join(", ", samples.Select(s => s.TypeName).Distinct())}");
            Assert.Contains(payloads, s => s.Stack.Count > 0 && s.Stack[0].StartsWith(AllocatingMethod + "(", StringComparison.Ordinal));
            Assert.All(samples, s => Assert.True(s.Bytes > 0, $"{name}: {s}"));
        }
        // A randomized sample stands for about 100 KB (a small object) or its own size (a large one).
        Assert.All(randomized.All, s => Assert.InRange(s.Bytes, 100 * 1024, 64L << 20));
    }

    [Fact]
    public async Task Lifetime_charts_draw_offline_in_Chromium()
    {
        HeapGraph Snapshot(int live)
        {
            var b = new HeapGraphBuilder();
            for (int i = 0; i < live; i++)
                b.AddNode("App.<>c__DisplayClass0_0", 64, i % 3 == 0 ? Generation.Gen0 : Generation.Gen2);
            b.AddNode("System.String", 40, Generation.Gen1);
            return b.Build(SnapshotInfo.HandBuilt("s"));
        }
        PlotlyFigure[] figures =
        [
            LifetimeCharts.AgeMix(["s1", "s2"], [Snapshot(10), Snapshot(30)]),
            LifetimeCharts.AllocationsVsSurvivors([("App.<>c__DisplayClass0_0", 2_000_000, 1_280), ("System.String", 900_000, 0)]),
            GcCharts.Timeline([0.5, 2.0], [[1, 2, 300, 4, 0], [1, 2, 500, 4, 0]], [3.5, 20], [0, 2], [(1.0, 5e6), (2.0, 6e6)]),
        ];
        using var folder = new TempFolder("leaklab-lifetime");
        string page = folder.File("lifetime.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body>"
            + string.Concat(figures.Select((f, i) => PlotlyHtml.Render(f, i == 0 ? PlotlyScriptMode.Inline : PlotlyScriptMode.AssumeLoaded)))
            + "</body></html>");

        await using HeadlessChromium chromium = await HeadlessChromium.LaunchAsync();
        var (opened, dialogs) = await chromium.OpenAsync(page);
        Assert.Equal(3, await HeadlessChromium.AssertChartsDrawAsync(opened, "lifetime charts"));
        // The escaped compiler-generated name reads verbatim on the drawn axis.
        Assert.Contains("App.<>c__DisplayClass0_0", await opened.InnerTextAsync("body"));
        Assert.Empty(dialogs);
    }
}
