namespace LeakLab.IntegrationTests.EventPipe;

/// <summary>
/// One running static-cache sample (S01) and one EventPipe snapshot of it, shared by the tests of
/// <see cref="HeapSnapshotCaptureTests"/>: starting the sample and snapshotting it is the slow part.
/// </summary>
public sealed class StaticCacheSnapshotFixture : IAsyncLifetime
{
    public const string CacheField = "LeakLab.Sample.OrderCache.Entries";
    public const string CacheType = "System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>";
    public const string LeakedType = "LeakLab.Sample.CachedOrder";

    private SampleProcess? _sample;
    private HeapSnapshotResult? _first;

    public SampleProcess Sample => _sample ?? throw new InvalidOperationException("the fixture did not start");
    public HeapSnapshotResult First => _first ?? throw new InvalidOperationException("the fixture did not start");
    public HeapGraph Graph => First.Graph;
    public List<string> Progress { get; } = [];

    public async Task InitializeAsync()
    {
        _sample = await SampleProcess.StartAsync("static-cache", "--rate", "500");
        await Task.Delay(1000); // about 500 leaked orders
        _first = await Task.Run(() => HeapSnapshotCapture.CaptureWithTimings(_sample.Pid, new HeapSnapshotOptions
        {
            Progress = new ListProgress(Progress),
        }));
    }

    public async Task DisposeAsync()
    {
        if (_sample is not null)
            await _sample.DisposeAsync();
    }

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool and lose ordering).</summary>
    private sealed class ListProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
                lines.Add(value);
        }
    }
}
