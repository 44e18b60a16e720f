using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// Every notebook under notebooks/ run once per host, for all the tests of <see cref="NotebookHostsTests"/>: one
/// `leaklab run notebooks/ --html DIR --output DIR/out --parallel 2` child process, and Jupyter's nbconvert on the real
/// kernel, two notebooks at a time. Each run starts on first use and is shared; the folder goes with the fixture.
/// </summary>
public sealed partial class NotebookRuns : IDisposable
{
    /// <summary>Notebooks at once per host: the CI machine has 2 cores, and most of a notebook's time is waiting.</summary>
    public const int Parallel = 2;

    private readonly TempFolder _folder = new("leaklab-nbruns");
    private readonly Lock _gate = new();
    private Task<LeakLabFolderRun>? _leaklab;
    private Task<JupyterRuns>? _jupyter;

    public string ReportFolder => _folder.File("reports");

    public Task<LeakLabFolderRun> LeakLabAsync(IReadOnlyDictionary<string, string> environment)
    {
        lock (_gate)
            return _leaklab ??= RunLeakLabAsync(environment);
    }

    public Task<JupyterRuns> JupyterAsync(IReadOnlyDictionary<string, string> environment)
    {
        lock (_gate)
            return _jupyter ??= RunJupyterAsync(environment);
    }

    private async Task<LeakLabFolderRun> RunLeakLabAsync(IReadOnlyDictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        string output = Path.Combine(ReportFolder, "out");
        using var run = ChildProcess.LeakLab(["run", RepoPaths.Notebooks, "--html", ReportFolder, "--output", output, "--parallel", Parallel.ToString()],
            RepoPaths.Notebooks, environment);
        int exit = await run.WaitAsync(TimeSpan.FromMinutes(15));
        return new LeakLabFolderRun(exit, run.ToString(), ReportFolder, output, clock.Elapsed);
    }

    private async Task<JupyterRuns> RunJupyterAsync(IReadOnlyDictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        string dir = Directory.CreateDirectory(_folder.File("jupyter")).FullName;
        using var gate = new SemaphoreSlim(Parallel);
        // Kernels started in the same second race for the first free HTTP port of the kernelspec's range and one dies
        // ("Kernel died before replying to kernel_info"): start them at least StartSpacing apart.
        var starts = new SemaphoreSlim(1);
        var runs = await Task.WhenAll(RepoPaths.AllNotebooks().Select(n => (string)n[0]).Select(async name =>
        {
            await gate.WaitAsync();
            await starts.WaitAsync();
            _ = Task.Delay(StartSpacing).ContinueWith(_ => starts.Release(), TaskScheduler.Default);
            var one = Stopwatch.StartNew();
            try
            {
                string executed;
                try
                {
                    executed = await Jupyter.ExecuteAsync(Path.Combine(RepoPaths.Notebooks, name), dir, environment, TimeSpan.FromMinutes(8));
                }
                catch (Xunit.Sdk.XunitException ex) when (Jupyter.IsKernelDeath(ex.Message))
                {
                    // One retry when the kernel died: kernels that start close together on a loaded machine can still
                    // race for one HTTP port despite StartSpacing, which is Jupyter's trouble, not the notebook's. A cell
                    // that hangs is not retried (the S08 dump-cell hang is gone since live DAC reads run in the killable
                    // LeakLab.DacReader child), and a broken notebook fails the retry too.
                    Console.Error.WriteLine($"NotebookRuns: {name} retried in Jupyter after: {ex.Message.Split('\n')[0]}");
                    executed = await Jupyter.ExecuteAsync(Path.Combine(RepoPaths.Notebooks, name), dir, environment, TimeSpan.FromMinutes(8));
                    return new JupyterRun(name, executed, null, one.Elapsed) { Retried = true };
                }
                return new JupyterRun(name, executed, null, one.Elapsed);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException or TimeoutException)
            {
                return new JupyterRun(name, null, ex.Message, one.Elapsed);
            }
            finally
            {
                gate.Release();
            }
        }));
        return new JupyterRuns(runs, clock.Elapsed);
    }

    private static readonly TimeSpan StartSpacing = TimeSpan.FromSeconds(8);

    public void Dispose() => _folder.Dispose();

    /// <summary>The scenario id a curated notebook is about ("S05" for S05-timer.ipynb); null for others.</summary>
    public static string? ScenarioOf(string notebook) => ScenarioName().Match(Path.GetFileName(notebook)) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Pids of the sample programs a notebook showed (SampleProgram.ToString(): "LeakLab.Sample timer (pid 8380").</summary>
    public static IEnumerable<int> SamplePids(string notebookJson) =>
        SamplePid().Matches(notebookJson).Select(m => int.Parse(m.Groups[1].Value)).Distinct();

    /// <summary>Fails when a sample program a notebook started still runs (a short grace for its exit).</summary>
    public static async Task AssertGoneAsync(int pid, string notebook)
    {
        for (int i = 0; i < 50 && IsSample(pid); i++)
            await Task.Delay(100);
        Assert.False(IsSample(pid), $"{notebook}: the sample program (pid {pid}) the notebook started still runs");
    }

    private static bool IsSample(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("LeakLab.Sample", StringComparison.Ordinal); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [GeneratedRegex(@"^(S\d\d)-")]
    private static partial Regex ScenarioName();

    [GeneratedRegex(@"LeakLab\.Sample [a-z0-9-]+ \(pid (\d+)")]
    private static partial Regex SamplePid();
}

/// <summary>The `leaklab run FOLDER` child: its exit code and output, the report folder and executed notebooks.</summary>
public sealed record LeakLabFolderRun(int ExitCode, string Output, string ReportFolder, string ExecutedFolder, TimeSpan Elapsed)
{
    public string Report(string notebook) => Path.Combine(ReportFolder, Path.GetFileNameWithoutExtension(notebook) + ".html");
    public string Executed(string notebook) => Path.Combine(ExecutedFolder, Path.GetFileNameWithoutExtension(notebook) + ".ipynb");
}

/// <summary>One notebook in Jupyter: the executed notebook, or the failure naming the cell.</summary>
public sealed record JupyterRun(string Notebook, string? Executed, string? Error, TimeSpan Elapsed)
{
    /// <summary>True when the first attempt's kernel died and the second attempt ran clean.</summary>
    public bool Retried { get; init; }
}

public sealed record JupyterRuns(IReadOnlyList<JupyterRun> Runs, TimeSpan Elapsed);
