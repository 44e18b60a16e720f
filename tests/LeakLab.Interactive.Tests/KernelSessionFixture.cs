using LeakLab.IntegrationTests;
using SampleProcess = LeakLab.IntegrationTests.SampleProcess;

namespace LeakLab.Interactive.Tests;

/// <summary>
/// One real kernel with LeakLab loaded and two dumps of the static-cache sample loaded as snapshots "a" and "b"
/// (a second apart), plus the same heap saved as a .llhg snapshot file; shared by the kernel tests (dumps cost seconds).
/// The session is <see cref="Lab.Current"/>, which the kernel's magic commands act on; it is replaced and disposed
/// with the fixture, and the sample is killed, pass or fail.
/// </summary>
public sealed class KernelSessionFixture : IAsyncLifetime
{
    private SampleProcess? _sample;
    private InProcessKernel? _kernel;
    private LeakLabSession? _previous;

    internal InProcessKernel Kernel => _kernel ?? throw new InvalidOperationException("the fixture is not initialised");
    public string FirstDump { get; private set; } = "";
    public string SecondDump { get; private set; } = "";
    public string SnapshotFile { get; private set; } = "";
    public int SamplePid => _sample?.Pid ?? throw new InvalidOperationException("the fixture is not initialised");

    public async Task InitializeAsync()
    {
        _previous = Lab.Current;
        Lab.Current = new LeakLabSession();
        _sample = await SampleProcess.StartAsync("static-cache", "--rate", "1000");
        await Task.Delay(TimeSpan.FromSeconds(1));
        FirstDump = await _sample.DumpAsync("a");
        await Task.Delay(TimeSpan.FromSeconds(1));
        SecondDump = await _sample.DumpAsync("b");
        SnapshotFile = Path.Combine(_sample.Folder, "b.llhg");
        HeapSnapshotFile.Save(DumpLoader.Load(SecondDump), SnapshotFile);

        _kernel = await InProcessKernel.CreateWithLeakLabAsync();
        (await _kernel.RunAsync($"#!leaklab load \"{FirstDump}\" --as a\n#!leaklab load \"{SecondDump}\" --as b")).AssertSucceeded();
    }

    public async Task DisposeAsync()
    {
        _kernel?.Dispose();
        var session = Lab.Current;
        if (_previous is not null)
            Lab.Current = _previous;
        session.Dispose();
        if (_sample is not null)
            await _sample.DisposeAsync();
    }
}
