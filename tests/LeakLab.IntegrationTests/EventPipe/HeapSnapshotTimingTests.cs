using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.EventPipe;

/// <summary>What an EventPipe snapshot costs on a sample with a million extra objects (numbers go to the test log).</summary>
public sealed class HeapSnapshotTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_million_object_heap_is_snapshotted_with_a_short_pause()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "200", "--ballast", "1000000");
        var log = new List<string>();
        HeapSnapshotResult result = await Task.Run(() => HeapSnapshotCapture.CaptureWithTimings(sample.Pid, new HeapSnapshotOptions
        {
            Progress = new Recorder(log),
        }));
        HeapGraph graph = result.Graph;
        foreach (string line in log)
            output.WriteLine(line);
        output.WriteLine($"session start {result.SessionStart.TotalMilliseconds:0} ms, GC pause {result.TargetPause.TotalMilliseconds:0} ms, " +
                         $"total {result.Elapsed.TotalMilliseconds:0} ms; {graph}; model {graph.ModelBytes / 1e6:0.0} MB");

        int ballastNodes = Enumerable.Range(0, graph.NodeCount).Count(v => graph.NodeTypeName((NodeId)v) == "LeakLab.Sample.BallastNode");
        Assert.InRange(ballastNodes, 500_000, 500_100);
        Assert.True(graph.NodeCount > 1_000_000, graph.ToString());
        Assert.Contains(graph.Roots, r => r.Kind == RootKind.StaticField && r.Name == "LeakLab.Sample.Ballast.Chains");
        Assert.True(result.TargetPause > TimeSpan.Zero && result.TargetPause < result.Elapsed);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(60));
        Assert.False(sample.Process.HasExited);

        // Each BallastNode (Next, Values) has one or two references, and most nodes have a generation.
        double known = Enumerable.Range(0, graph.NodeCount).Count(v => graph.GenerationOf((NodeId)v) != Generation.Unknown) / (double)graph.NodeCount;
        Assert.True(known > 0.9, $"only {known:P0} of objects have a generation");
    }

    private sealed class Recorder(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add($"{DateTime.Now:HH:mm:ss.fff} {value}");
    }
}
