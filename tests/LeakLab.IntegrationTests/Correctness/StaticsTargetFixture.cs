namespace LeakLab.IntegrationTests.Correctness;

/// <summary>
/// One running <c>statics</c> test target (every kind of static, quiet after READY), one heap dump of it and its
/// loaded graph, shared by the tests of a class. Snapshots and peer-tool captures are taken by the tests that need them.
/// </summary>
public sealed class StaticsTargetFixture : IAsyncLifetime
{
    private SampleProcess? _target;
    private HeapGraph? _graph;

    public SampleProcess Target => _target ?? throw new InvalidOperationException("the fixture did not start");
    public string DumpPath { get; private set; } = "";
    public HeapGraph Graph => _graph ?? throw new InvalidOperationException("the fixture did not start");
    public string Folder => Target.Folder;

    public async Task InitializeAsync()
    {
        _target = await SampleProcess.StartTargetAsync("statics");
        DumpPath = await _target.DumpAsync();
        _graph = await Task.Run(() => DumpLoader.Load(DumpPath));
    }

    public async Task DisposeAsync()
    {
        if (_target is not null)
            await _target.DisposeAsync();
    }
}
