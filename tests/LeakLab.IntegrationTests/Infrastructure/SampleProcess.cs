using System.Diagnostics;
using System.Text.Json;

namespace LeakLab.IntegrationTests;

/// <summary>
/// A running copy of the sample leaky program (sampledata/LeakLab.Sample), started for one test and killed
/// when the test ends, pass or fail:
/// <code>await using var p = await SampleProcess.StartAsync("static-cache", "--rate", "500");
/// string dump = await p.DumpAsync();</code>
/// The process runs in its own temp folder (its working directory, also where dumps go), which is deleted on dispose.
/// Starting, waiting for the READY line and killing are <see cref="Engine.Samples.SampleProcess"/>'s, as in the demo and notebooks.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    public const string ReadyPrefix = Engine.Samples.SampleProcess.ReadyPrefix;

    private readonly Engine.Samples.SampleProcess _sample;
    private readonly TempFolder _folder;
    private int _dumpCount;
    private int _disposed;

    private SampleProcess(string scenario, Engine.Samples.SampleProcess sample, TempFolder folder)
    {
        Scenario = scenario;
        _sample = sample;
        _folder = folder;
    }

    public string Scenario { get; }
    public Process Process => _sample.Process;
    public int Pid => _sample.Pid;

    /// <summary>The process's working directory and the folder <see cref="DumpAsync"/> writes into.</summary>
    public string Folder => _folder.Path;

    /// <summary>Everything the process wrote to stderr so far (the last 64 KB).</summary>
    public string StandardError => _sample.StandardError;

    /// <summary>Lines the process wrote to stdout so far (the READY line, and createdump's log lines).</summary>
    public IReadOnlyList<string> StandardOutputLines => _sample.StandardOutputLines;

    /// <summary>Full path of LeakLab.Sample.dll (copied to the test output folder by the project reference).</summary>
    public static string SampleDllPath => Path.Combine(AppContext.BaseDirectory, "LeakLab.Sample.dll");

    /// <summary>The dotnet host running this test run, so the sample uses the same runtime.</summary>
    public static string DotNetHostPath => LeakLab.Capture.DotNetHost.Path();

    /// <summary>
    /// Starts <c>dotnet LeakLab.Sample.dll scenario args...</c> and waits (up to 30 s) for its READY line.
    /// Throws with the process's stderr in the message when it exits or stays silent instead.
    /// </summary>
    public static Task<SampleProcess> StartAsync(string scenario, params string[] args) =>
        StartCoreAsync(SampleDllPath, scenario, args, runAsUid: null);

    /// <summary>Full path of LeakLab.TestTargets.dll: one small program per leak shape (tests/LeakLab.TestTargets).</summary>
    public static string TestTargetsDllPath => Path.Combine(AppContext.BaseDirectory, "LeakLab.TestTargets.dll");

    /// <summary>Like <see cref="StartAsync"/>, but runs one shape of tests/LeakLab.TestTargets (same READY line).</summary>
    public static Task<SampleProcess> StartTargetAsync(string shape, params string[] args) =>
        StartCoreAsync(TestTargetsDllPath, shape, args, runAsUid: null);

    /// <summary>Like <see cref="StartAsync"/>, but runs a copy of the sample program at <paramref name="dllPath"/> (e.g. renamed, to get a unique process name).</summary>
    public static Task<SampleProcess> StartFromAsync(string dllPath, string scenario, params string[] args) =>
        StartCoreAsync(dllPath, scenario, args, runAsUid: null);

    /// <summary>
    /// Like <see cref="StartAsync"/>, but the sample runs as user <paramref name="uid"/> (group = uid) through <c>setpriv</c>.
    /// Needs root; used to test what happens when the target's user differs from ours.
    /// </summary>
    public static Task<SampleProcess> StartAsUserAsync(int uid, string scenario, params string[] args) =>
        StartCoreAsync(SampleDllPath, scenario, args, runAsUid: uid);

    private static async Task<SampleProcess> StartCoreAsync(string dllPath, string scenario, string[] args, int? runAsUid)
    {
        if (!File.Exists(dllPath))
            throw new InvalidOperationException($"{dllPath} is missing; the test project must reference sampledata/LeakLab.Sample.");

        var folder = new TempFolder("leaklab-sample");
        try
        {
            var info = new Engine.Samples.SampleStartInfo(dllPath, scenario)
            {
                Arguments = args,
                // Its own cwd, so a dump path that is wrongly resolved against the target's cwd shows up in tests.
                WorkingDirectory = folder.Path,
                // setpriv execs the program, so the pid we get is the sample's own pid.
                Wrapper = runAsUid is int uid ? ["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups"] : [],
            };
            Engine.Samples.SampleProcess started = await Engine.Samples.SampleProcess.StartAsync(info);
            var sample = new SampleProcess(scenario, started, folder);
            try
            {
                sample.CheckReadyLine(started.ReadyLine);
            }
            catch
            {
                await sample.DisposeAsync();
                throw;
            }
            return sample;
        }
        catch
        {
            folder.Dispose(); // a second dispose after the sample's own is harmless
            throw;
        }
    }

    /// <summary>
    /// Writes a heap dump (WithHeap) of the sample into <see cref="Folder"/> and returns its absolute path.
    /// The file is deleted with the folder on dispose.
    /// </summary>
    public async Task<string> DumpAsync(string? name = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        int n = Interlocked.Increment(ref _dumpCount);
        string file = name ?? $"{Scenario}-{n}";
        if (!file.EndsWith(".dmp", StringComparison.OrdinalIgnoreCase))
            file += ".dmp";
        string path = _folder.File(file);
        DumpResult result = await Task.Run(() => DumpCapture.Write(Pid, path));
        return result.Path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _sample.DisposeAsync();
        _folder.Dispose();
    }

    private void CheckReadyLine(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line[ReadyPrefix.Length..]);
        int pid = doc.RootElement.GetProperty("pid").GetInt32();
        string? scenario = doc.RootElement.GetProperty("scenario").GetString();
        if (pid != Process.Id || scenario != Scenario)
            throw new InvalidOperationException($"unexpected READY line '{line}' (expected pid {Process.Id}, scenario '{Scenario}')");
    }
}
