namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// One running sample program and one heap dump of it, shared by every test of a class (a dump costs seconds).
/// The sample keeps running until the class is done, because its temp folder (which holds the dump) goes with it.
/// </summary>
public abstract class SampleDumpFixture : IAsyncLifetime
{
    private SampleProcess? _sample;

    protected abstract string Scenario { get; }

    public string DumpPath { get; private set; } = "";
    public int Pid => _sample?.Pid ?? throw new InvalidOperationException("the fixture is not initialised");

    public async Task InitializeAsync()
    {
        _sample = await SampleProcess.StartAsync(Scenario, "--rate", "1000");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // let a few thousand items leak
        DumpPath = await _sample.DumpAsync();
    }

    public async Task DisposeAsync()
    {
        if (_sample is not null)
            await _sample.DisposeAsync();
    }
}

public sealed class StaticCacheDumpFixture : SampleDumpFixture
{
    protected override string Scenario => "static-cache";
}

public sealed class EventHandlersDumpFixture : SampleDumpFixture
{
    protected override string Scenario => "event-handlers";
}
