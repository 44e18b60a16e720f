namespace LeakLab.IntegrationTests.Correctness;

/// <summary>
/// Issue 8, item 5b on a real process: a static list of 6,000 postings that gains ten a second (well under 1% per
/// interval) is a growing root, ranked below a fast leak in the same process.
/// </summary>
public sealed class SlowLeakTests
{
    private const string Slow = "Ledger.SlowLeakShape.s_postings", Fast = "Ledger.SlowLeakShape.s_audit";

    [Fact]
    public async Task A_slow_leak_on_a_large_base_grows_and_ranks_below_a_fast_one()
    {
        var snapshots = new List<HeapAnalysis>();
        await using (SampleProcess target = await SampleProcess.StartTargetAsync("slow-leak"))
        {
            foreach (string name in new[] { "first", "second", "third" })
            {
                await Task.Delay(1000);
                string dump = await target.DumpAsync(name);
                snapshots.Add(new HeapAnalysis(await Task.Run(() => DumpLoader.Load(dump))));
                File.Delete(dump);
            }
        }
        SnapshotComparison c = SnapshotComparison.CompareInCaptureOrder(snapshots);
        string table = string.Join("\n", c.Roots.Take(6).Select(r => $"{r.Name} {string.Join(" → ", r.Counts)} growing={r.Growing} score={r.Score:0.00} {r.Reason}"));
        RootTrend slow = c.Roots.Single(r => r.Name == Slow), fast = c.Roots.Single(r => r.Name == Fast);
        // Slow indeed: under 5% in all (the relative floor a fast leak passes), on a base of 6,000.
        Assert.True(slow.Counts[0] > SlowLeakBase && slow.Counts[^1] - slow.Counts[0] < 0.05 * slow.Counts[0], table);
        Assert.True(slow.Growing, table);
        Assert.True(fast.Growing, table);
        Assert.True(fast.Score > slow.Score, table);
        Assert.Equal([Fast, Slow], c.Roots.Where(r => r.Growing).Select(r => r.Name).Take(2));
    }

    /// <summary>Postings held before the leak starts (objects: each posting and its byte array).</summary>
    private const int SlowLeakBase = 2 * 6_000;
}
