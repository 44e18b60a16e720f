using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// A child process with its own environment and working folder, output captured as it comes (so a test can wait for
/// a progress line), signalled by pid, killed with its whole tree on dispose or timeout.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public string Description { get; private init; } = "";

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static ChildProcess Start(string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // closed at once: nothing here reads input
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        ChildProcessGuard.Register(process);
        var child = new ChildProcess(process) { Description = $"{Path.GetFileName(fileName)} {string.Join(' ', psi.ArgumentList)}" };
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._stdout) child._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._stderr) child._stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary><c>dotnet leaklab.dll ARGS</c> from the test output (the project reference copies the CLI there).</summary>
    public static ChildProcess LeakLab(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(SampleProcess.DotNetHostPath, [Path.Combine(AppContext.BaseDirectory, "leaklab.dll"), .. args], workingDirectory, environment);

    /// <summary>Waits for the exit; on timeout kills the tree and throws with what it printed.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Description} did not finish within {timeout.TotalSeconds:0} s\n{this}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until stderr holds <paramref name="text"/>; false if the process ended or the time ran out first.</summary>
    public async Task<bool> WaitForStderrAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Stderr.Contains(text, StringComparison.Ordinal))
                return true;
            if (_process.HasExited)
                return Stderr.Contains(text, StringComparison.Ordinal);
            await Task.Delay(100);
        }
        return false;
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public const int SIGTERM = 15;

    public override string ToString() => $"{Description}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public void Dispose()
    {
        Kill();
        ChildProcessGuard.Unregister(_process);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
