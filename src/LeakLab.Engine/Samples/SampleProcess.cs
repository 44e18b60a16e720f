using System.Diagnostics;
using System.Text;

namespace LeakLab.Engine.Samples;

/// <summary>
/// A running copy of the sample leaky program (or any program that prints the same <c>LEAKLAB-READY {json}</c> line),
/// started and waited for in one call; the one starter behind <c>leaklab demo</c>, notebooks and the tests.
/// <code>using var sample = await SampleProcess.StartAsync(new SampleStartInfo(dll, "static-cache") { Arguments = ["--rate", "500"] });</code>
/// Disposing kills it with its children and removes what a killed runtime leaves in /tmp; a process-exit hook kills
/// whatever is still running when the host exits, and <c>--parent-pid</c> makes the sample exit if the host is killed outright.
/// </summary>
public sealed class SampleProcess : IDisposable, IAsyncDisposable
{
    /// <summary>The line a sample prints once its scenario runs: this prefix, then JSON with at least <c>pid</c> and <c>scenario</c>.</summary>
    public const string ReadyPrefix = "LEAKLAB-READY ";
    private const int MaxStderrChars = 64 * 1024;
    private const int MaxStdoutLines = 10_000;

    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _stdout = [];
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _stopped;

    private SampleProcess(Process process, string scenario)
    {
        Process = process;
        Pid = process.Id;
        Scenario = scenario;
        _stdoutPump = PumpStdoutAsync(process.StandardOutput);
        _stderrPump = PumpStderrAsync(process.StandardError);
    }

    public Process Process { get; }
    public int Pid { get; }
    public string Scenario { get; }

    /// <summary>The READY line the process printed (prefix included).</summary>
    public string ReadyLine { get; private set; } = "";

    public bool HasExited => _stopped != 0 || Process.HasExited;

    /// <summary>What the process wrote to stderr so far (the last 64 K characters).</summary>
    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Lines it wrote to stdout so far (the READY line, and createdump's log lines), at most 10,000.</summary>
    public IReadOnlyList<string> StandardOutputLines { get { lock (_stdout) return [.. _stdout]; } }

    /// <summary>
    /// Starts the program and waits for its READY line. Its output is read for as long as it runs, because createdump
    /// writes its log to the target's stdout and a full pipe would block the target.
    /// </summary>
    /// <exception cref="LeakLabException">
    /// The program could not start, exited before it was ready, or printed no READY line within
    /// <see cref="SampleStartInfo.ReadyTimeout"/>; the message carries its stderr. The process is killed in every case.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first (the process is killed).</exception>
    public static async Task<SampleProcess> StartAsync(SampleStartInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!File.Exists(info.DllPath))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"'{info.DllPath}' does not exist; build the sample program (dotnet build sampledata/LeakLab.Sample)");
        ProcessStartInfo psi = info.ToProcessStartInfo();
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start '{psi.FileName} {info.DllPath}'");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start '{psi.FileName}': {ex.Message}; is the .NET runtime on PATH?");
        }
        ChildProcessGuard.Register(process);
        var sample = new SampleProcess(process, info.Scenario);
        try
        {
            Task timeout = Task.Delay(info.ReadyTimeout, cancellationToken);
            if (await Task.WhenAny(sample._ready.Task, timeout) != sample._ready.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program '{info.Scenario}' (pid {sample.Pid}) printed no READY line within {info.ReadyTimeout.TotalSeconds:0} s; its stderr: {sample.StderrForMessage()}");
            }
            if (sample._ready.Task.IsFaulted)
            {
                // Let it exit and stderr finish, so the message carries the exit code and the program's own error.
                await Task.WhenAny(Task.WhenAll(process.WaitForExitAsync(CancellationToken.None), sample._stderrPump), Task.Delay(5000, CancellationToken.None));
                string exit = process.HasExited ? $"exit code {process.ExitCode}" : "still running";
                throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program '{info.Scenario}' failed to start ({exit}); its stderr: {sample.StderrForMessage()}");
            }
            sample.ReadyLine = await sample._ready.Task;
            return sample;
        }
        catch
        {
            await sample.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process and its children, waits for the exit and removes the socket and pipes a killed runtime leaves. Safe to call twice.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        try
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { } // it exited in between
        catch (System.ComponentModel.Win32Exception) { }
        Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(2000)).GetAwaiter().GetResult();
        DotNetProcesses.RemoveLeftovers(Pid);
        ChildProcessGuard.Unregister(Process);
    }

    public void Dispose()
    {
        Stop();
        Process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(Stop).ConfigureAwait(false);
        Process.Dispose();
    }

    public override string ToString() => $"LeakLab.Sample {Scenario} (pid {Pid}{(HasExited ? ", stopped" : "")})";

    private string StderrForMessage()
    {
        string text = StandardError.Trim();
        return text.Length == 0 ? "(empty)" : text.ReplaceLineEndings(" | ");
    }

    private async Task PumpStdoutAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_stdout)
                {
                    if (_stdout.Count < MaxStdoutLines)
                        _stdout.Add(line);
                }
                // createdump's "[createdump] ..." lines also arrive here, so look for the prefix, not the first line.
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                    _ready.TrySetResult(line);
            }
            _ready.TrySetException(new LeakLabException(LeakLabErrorKind.Failed, "stdout closed before the READY line"));
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
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
                    if (_stderr.Length > MaxStderrChars)
                        _stderr.Remove(0, _stderr.Length - MaxStderrChars);
                }
            }
        }
        catch (Exception) { } // the process was killed mid-write: nothing left to read
    }
}
