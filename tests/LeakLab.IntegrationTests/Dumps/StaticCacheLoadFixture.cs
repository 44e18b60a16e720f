using LeakLab.Sample;

namespace LeakLab.IntegrationTests.Dumps;

/// <summary>
/// One running static-cache sample, one dump of it and that dump loaded once, shared by the dump-loader test
/// classes (the <see cref="Collection"/>). The sample keeps running until the collection is done, because its temp
/// folder holds the dump.
/// </summary>
public sealed class StaticCacheLoadFixture : IAsyncLifetime
{
    public const string Collection = "static-cache dump for the loader";
    private SampleProcess? _sample;

    public string DumpPath { get; private set; } = "";
    public int Pid => _sample?.Pid ?? throw new InvalidOperationException("the fixture is not initialised");
    public HeapGraph Graph { get; private set; } = null!;
    public IReadOnlyList<LoadProgress> Progress { get; private set; } = [];

    /// <summary>Scratch space for copies of the dump (deleted with the sample's folder).</summary>
    public string Folder => _sample?.Folder ?? throw new InvalidOperationException("the fixture is not initialised");

    public async Task InitializeAsync()
    {
        _sample = await SampleProcess.StartAsync("static-cache", "--rate", "1000");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // let about 1,500 orders leak
        DumpPath = await _sample.DumpAsync();
        var progress = new List<LoadProgress>();
        Graph = DumpLoader.Load(DumpPath, new DumpLoadOptions { Progress = new Recorder(progress) });
        Progress = progress;
    }

    public async Task DisposeAsync()
    {
        if (_sample is not null)
            await _sample.DisposeAsync();
    }

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class Recorder(List<LoadProgress> into) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value)
        {
            lock (into)
                into.Add(value);
        }
    }

    /// <summary>The sample's leaking static, as LeakLab names it.</summary>
    public static string CacheFieldName => $"{typeof(OrderCache).FullName}.{nameof(OrderCache.Entries)}";
}

[CollectionDefinition(StaticCacheLoadFixture.Collection)]
public sealed class StaticCacheLoadCollection : ICollectionFixture<StaticCacheLoadFixture>;
