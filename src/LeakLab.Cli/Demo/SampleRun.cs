using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LeakLab.Cli;

/// <summary>
/// The sample program started by <c>leaklab demo</c>: waits for its READY line and is always killed (with its process
/// tree) on dispose. It also gets <c>--parent-pid</c>, so it exits by itself if leaklab dies without cleaning up.
/// </summary>
internal sealed class SampleRun : IDisposable
{
    private const string ReadyPrefix = "LEAKLAB-READY ";
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();
    private bool _stopped;

    private SampleRun(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                _ready.TrySetException(new LeakLabException(LeakLabErrorKind.Failed, "the sample program closed its output before it was ready"));
            else if (e.Data.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                _ready.TrySetResult(e.Data);
            // Other lines (createdump's log) are drained and dropped so the pipe never fills.
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_stderr)
            {
                if (_stderr.Length < 8192)
                    _stderr.Append(e.Data).Append(" | ");
            }
        };
    }

    public int Pid => _process.Id;

    /// <summary>Starts the sample on <paramref name="scenario"/>; <paramref name="fixedVariant"/> runs its corrected variant (<c>--fixed</c>).</summary>
    public static SampleRun Start(string sampleDll, string scenario, double rate, string workingDirectory, bool fixedVariant = false)
    {
        var psi = new ProcessStartInfo(DotNetHost.Path())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(sampleDll);
        psi.ArgumentList.Add(scenario);
        if (fixedVariant)
            psi.ArgumentList.Add("--fixed");
        psi.ArgumentList.Add("--rate");
        psi.ArgumentList.Add(rate.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--parent-pid");
        psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start '{psi.FileName} {sampleDll}'");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start '{psi.FileName}': {ex.Message}; is the .NET runtime on PATH?");
        }
        var run = new SampleRun(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for the READY line; throws with the sample's stderr if it exits or stays silent.</summary>
    public void WaitUntilReady(CancellationToken cancellation)
    {
        Task winner = Task.WhenAny(_ready.Task, Task.Delay(s_readyTimeout, cancellation)).GetAwaiter().GetResult();
        cancellation.ThrowIfCancellationRequested();
        if (winner != _ready.Task)
            throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program (pid {Pid}) was not ready within {s_readyTimeout.TotalSeconds:0} s; its stderr: {StderrText()}");
        if (_ready.Task.IsFaulted)
        {
            _process.WaitForExit(2000);
            string exit = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
            throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program failed to start ({exit}); its stderr: {StderrText()}");
        }
    }

    /// <summary>Kills the sample and its children. Safe to call more than once.</summary>
    public void Stop()
    {
        if (_stopped)
            return;
        _stopped = true;
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { } // it exited in between
        catch (System.ComponentModel.Win32Exception) { }
        // Killed runtimes leave their diagnostic socket and debugger pipes in /tmp; remove them.
        DotNetProcesses.RemoveLeftovers(Pid);
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private string StderrText()
    {
        lock (_stderr)
            return _stderr.Length == 0 ? "(empty)" : _stderr.ToString().TrimEnd(' ', '|');
    }
}
