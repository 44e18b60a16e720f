using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Capture;

/// <summary>
/// One run of LeakLab.DacReader, the child process that makes LeakLab's ClrMD calls on a live process (static slots,
/// GC ranges) and the walk check of a fresh dump, killed when it overruns its deadline.
/// </summary>
/// <remarks>
/// Why a child: the DAC (libmscordaccore) takes one process-wide lock around every call. Read without suspending, a live
/// process changes under the DAC, and inconsistent memory can send a walk round a loop that never returns; in the host
/// that call would hold the lock for good, and every later DAC use in the host (the dump check, loading a dump) would
/// hang behind it: a notebook's <c>#!leaklab dump</c> cell hung so. Suspending the target instead bounds nothing that
/// matters (a target stopped mid-GC is just as inconsistent, and a stopped target pauses the user's program for as long
/// as the read takes); a killed child releases everything it held. The child is started with the running <c>dotnet</c>
/// host (<see cref="DotNetHost"/>) from the folder of LeakLab.Capture.dll, where every consumer's build and the notebook
/// package put it with its runtimeconfig; it finds ClrMD in the folders this process loaded it from. It costs about
/// 0.2 s of start-up, which the snapshot overlaps with building its graph. Reading another process's memory needs
/// ptrace access: under Yama's ptrace_scope=1 the reader (a sibling, not a parent, of a sample this process started) is
/// refused and the facts are missing (static fields named by field only), as for any process the user may not trace.
/// </remarks>
internal sealed class DacReaderProcess : IDisposable
{
    /// <summary>The reader's assembly, beside LeakLab.Capture.dll.</summary>
    public const string FileName = "LeakLab.DacReader.dll";

    private const string End = "end"; // the reader's last line of a complete answer
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    private readonly Process _process;
    private readonly List<string> _lines = [];

    private DacReaderProcess(Process process) => _process = process;

    /// <summary>True once <see cref="Wait"/> gave up on the reader at its timeout (and killed it).</summary>
    public bool TimedOut { get; private set; }

    /// <summary>
    /// Starts the reader on <paramref name="verb"/> <paramref name="argument"/>; it exits by itself after
    /// <paramref name="deadline"/> whatever happens to this process. Null when it is missing or cannot start.
    /// </summary>
    public static DacReaderProcess? Start(string verb, string argument, TimeSpan deadline)
    {
        string folder = Path.GetDirectoryName(typeof(DacReaderProcess).Assembly.Location) ?? "";
        string dll = Path.Combine(folder, FileName);
        if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            return null;
        var psi = new ProcessStartInfo(DotNetHost.Path())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { dll, verb, argument, deadline.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        psi.Environment["LEAKLAB_DACREADER_PROBE"] = ProbeFolders();
        // Not a diagnosable .NET process: `leaklab ps` and other tools never list this short-lived child.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        try
        {
            var process = new Process { StartInfo = psi };
            var reader = new DacReaderProcess(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (reader._lines)
                        reader._lines.Add(e.Data);
                }
            };
            process.ErrorDataReceived += (_, _) => { }; // drained so a chatty failure cannot block the child
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return reader;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>Runs the reader and waits for its answer (see <see cref="Wait"/>); null when it is missing, failed or overran.</summary>
    public static IReadOnlyList<string>? Run(string verb, string argument, TimeSpan deadline, Action<TimeSpan>? progress = null)
    {
        using DacReaderProcess? reader = Start(verb, argument, deadline);
        return reader?.Wait(deadline, progress);
    }

    /// <summary>
    /// The reader's records (its lines without the end marker), or null when it did not give a complete answer within
    /// <paramref name="timeout"/>: it is killed then. <paramref name="progress"/> hears the time waited about once a
    /// <see cref="s_poll"/>.
    /// </summary>
    public IReadOnlyList<string>? Wait(TimeSpan timeout, Action<TimeSpan>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        while (!_process.WaitForExit(NextWait(timeout - clock.Elapsed)))
        {
            if (clock.Elapsed >= timeout)
            {
                TimedOut = true;
                Kill();
                return null;
            }
            progress?.Invoke(clock.Elapsed);
        }
        _process.WaitForExit(); // the redirected output is drained only now
        lock (_lines)
            return _process.ExitCode == 0 && _lines.Count > 0 && _lines[^1] == End ? _lines.GetRange(0, _lines.Count - 1) : null;
    }

    /// <summary>One poll, the last one cut to what is left of the timeout.</summary>
    private static TimeSpan NextWait(TimeSpan left) => left <= TimeSpan.Zero ? TimeSpan.Zero : left < s_poll ? left : s_poll;

    /// <summary>Kills the reader if it still runs and waits for it to be gone.</summary>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited on its own meanwhile.
        }
    }

    /// <summary>The folders this process loaded ClrMD, the diagnostics client and LeakLab from (see LeakLab.DacReader's ProbeFolders).</summary>
    private static string ProbeFolders() => string.Join(Path.PathSeparator,
        new[] { typeof(DataTarget), typeof(DiagnosticsClient), typeof(RootKind), typeof(DacReaderProcess) }
            .Select(t => Path.GetDirectoryName(t.Assembly.Location))
            .Where(d => !string.IsNullOrEmpty(d))
            .Distinct(StringComparer.Ordinal));
}
