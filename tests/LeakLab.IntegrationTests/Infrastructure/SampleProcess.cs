using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace LeakLab.IntegrationTests;

/// <summary>
/// A running copy of the sample leaky program (sampledata/LeakLab.Sample), started for one test and killed
/// when the test ends, pass or fail:
/// <code>await using var p = await SampleProcess.StartAsync("static-cache", "--rate", "500");
/// string dump = await p.DumpAsync();</code>
/// The process runs in its own temp folder (its working directory, also where dumps go), which is deleted on dispose.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    public const string ReadyPrefix = "LEAKLAB-READY ";
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private const int MaxCapturedChars = 64 * 1024;

    private readonly TempFolder _folder;
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _stdout = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _dumpCount;
    private int _disposed;

    private SampleProcess(string scenario, Process process, TempFolder folder, TaskCompletionSource<string> ready)
    {
        Scenario = scenario;
        Process = process;
        _folder = folder;
        _stdoutPump = PumpStdoutAsync(process.StandardOutput, ready);
        _stderrPump = PumpStderrAsync(process.StandardError);
    }

    public string Scenario { get; }
    public Process Process { get; }
    public int Pid => Process.Id;

    /// <summary>The process's working directory and the folder <see cref="DumpAsync"/> writes into.</summary>
    public string Folder => _folder.Path;

    /// <summary>Everything the process wrote to stderr so far (the last 64 KB).</summary>
    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Lines the process wrote to stdout so far (the READY line, and createdump's log lines).</summary>
    public IReadOnlyList<string> StandardOutputLines { get { lock (_stdout) return _stdout.ToArray(); } }

    /// <summary>Full path of LeakLab.Sample.dll (copied to the test output folder by the project reference).</summary>
    public static string SampleDllPath => Path.Combine(AppContext.BaseDirectory, "LeakLab.Sample.dll");

    /// <summary>The dotnet host running this test run, so the sample uses the same runtime.</summary>
    public static string DotNetHostPath
    {
        get
        {
            string? self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
                return self;
            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        }
    }

    /// <summary>
    /// Starts <c>dotnet LeakLab.Sample.dll scenario args...</c> and waits (up to 30 s) for its READY line.
    /// Throws with the process's stderr in the message when it exits or stays silent instead.
    /// </summary>
    public static Task<SampleProcess> StartAsync(string scenario, params string[] args) =>
        StartCoreAsync(SampleDllPath, scenario, args, runAsUid: null);

    /// <summary>Full path of LeakLab.TestTargets.dll: one small program per leak shape (tests/LeakLab.TestTargets).</summary>
    public static string TestTargetsDllPath => Path.Combine(AppContext.BaseDirectory, "LeakLab.TestTargets.dll");

    /// <summary>Like <see cref="StartAsync"/>, but runs one shape of tests/LeakLab.TestTargets (same READY line).</summary>
    public static Task<SampleProcess> StartTargetAsync(string shape) =>
        StartCoreAsync(TestTargetsDllPath, shape, [], runAsUid: null);

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
        var psi = new ProcessStartInfo(runAsUid is null ? DotNetHostPath : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            // Its own cwd, so a dump path that is wrongly resolved against the target's cwd shows up in tests.
            WorkingDirectory = folder.Path,
        };
        if (runAsUid is int uid)
        {
            // setpriv execs the program, so the pid we get is the sample's own pid.
            foreach (string a in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", DotNetHostPath })
                psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add(dllPath);
        psi.ArgumentList.Add(scenario);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        // If this test host is killed outright (no ProcessExit), the sample notices its parent is gone and exits.
        if (!args.Contains("--parent-pid"))
        {
            psi.ArgumentList.Add("--parent-pid");
            psi.ArgumentList.Add(Environment.ProcessId.ToString());
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        }
        catch
        {
            folder.Dispose();
            throw;
        }
        ChildProcessGuard.Register(process);

        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sample = new SampleProcess(scenario, process, folder, ready);
        try
        {
            Task winner = await Task.WhenAny(ready.Task, Task.Delay(s_readyTimeout));
            if (winner != ready.Task)
                throw new TimeoutException(
                    $"sample '{scenario}' (pid {process.Id}) printed no READY line within {s_readyTimeout.TotalSeconds:0} s; stderr: {sample.StderrForMessage()}");
            string line = await ready.Task; // rethrows when stdout ended first
            sample.CheckReadyLine(line);
            return sample;
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            // Let it exit and stderr finish, so the message carries the exit code and the sample's own error.
            await Task.WhenAny(Task.WhenAll(process.WaitForExitAsync(), sample._stderrPump), Task.Delay(5000));
            string exit = process.HasExited ? $"exit code {process.ExitCode}" : "still running";
            await sample.DisposeAsync();
            throw new InvalidOperationException(
                $"sample '{scenario}' failed to start ({exit}): {ex.Message}; stderr: {sample.StderrForMessage()}", ex);
        }
        catch
        {
            await sample.DisposeAsync();
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
        try
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { } // exited in between
        catch (System.ComponentModel.Win32Exception) { }

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try { await Process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { }
        }
        await Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(2000));
        DotNetProcesses.RemoveLeftovers(Pid); // a killed runtime leaves its socket and debugger pipes in /tmp
        ChildProcessGuard.Unregister(Process);
        Process.Dispose();
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

    private string StderrForMessage()
    {
        string text = StandardError.Trim();
        return text.Length == 0 ? "(empty)" : text.ReplaceLineEndings(" | ");
    }

    private async Task PumpStdoutAsync(StreamReader reader, TaskCompletionSource<string> ready)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_stdout)
                {
                    if (_stdout.Count < 10_000)
                        _stdout.Add(line);
                }
                // createdump's "[createdump] ..." lines also arrive here, so look for the prefix, not the first line.
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                    ready.TrySetResult(line);
            }
            ready.TrySetException(new InvalidOperationException("stdout closed before the READY line"));
        }
        catch (Exception ex)
        {
            ready.TrySetException(ex);
        }
    }

    private async Task PumpStderrAsync(StreamReader reader)
    {
        try
        {
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, n);
                    if (_stderr.Length > MaxCapturedChars)
                        _stderr.Remove(0, _stderr.Length - MaxCapturedChars);
                }
            }
        }
        catch (Exception) { } // the process was killed mid-write: nothing left to read
    }
}
