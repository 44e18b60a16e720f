namespace LeakLab.IntegrationTests.Correctness;

/// <summary>
/// One running <c>linked-cts</c> test target (issue 8's linked-token leak: about 1,000 registrations a second pile
/// up under a static token source) and three dumps of it about a second apart, shared by the tests of a class.
/// </summary>
public sealed class LinkedCtsFixture : IAsyncLifetime
{
    private SampleProcess? _target;

    public SampleProcess Target => _target ?? throw new InvalidOperationException("the fixture did not start");
    /// <summary>Three dumps, oldest first.</summary>
    public string[] Dumps { get; private set; } = [];
    public string Folder => Target.Folder;

    public async Task InitializeAsync()
    {
        _target = await SampleProcess.StartTargetAsync("linked-cts");
        var dumps = new List<string>();
        foreach (string name in new[] { "first", "second", "third" })
        {
            await Task.Delay(800);
            dumps.Add(await _target.DumpAsync(name));
        }
        Dumps = [.. dumps];
    }

    public async Task DisposeAsync()
    {
        if (_target is not null)
            await _target.DisposeAsync();
    }
}
