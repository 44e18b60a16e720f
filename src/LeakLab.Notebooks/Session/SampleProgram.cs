using System.Diagnostics;

namespace LeakLab;

/// <summary>
/// A running LeakLab.Sample process started from a notebook. The session that started it kills it when the
/// session is disposed, and a process-exit hook kills it if the host dies first, so notebooks leave no orphans.
/// </summary>
public sealed class SampleProgram : IDisposable
{
    private static readonly object s_gate = new();
    private static readonly HashSet<Process> s_running = [];
    private static bool s_hooked;

    private readonly Process _process;
    private bool _disposed;

    private SampleProgram(Process process, string scenario)
    {
        _process = process;
        Pid = process.Id;
        Scenario = scenario;
    }

    public int Pid { get; }
    public string Scenario { get; }
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>
    /// Starts <c>dotnet LeakLab.Sample.dll SCENARIO ARGS</c> and waits for its READY line.
    /// The dll is looked up beside the LeakLab assemblies, then in the repository's build outputs.
    /// </summary>
    public static async Task<SampleProgram> StartAsync(string scenario, string[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string dll = FindSampleDll();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(scenario);
        foreach (string a in args)
            psi.ArgumentList.Add(a);

        var process = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start `dotnet {dll}`; check that the dotnet CLI is on PATH");
        Register(process);
        var sample = new SampleProgram(process, scenario);
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(cts.Token);
                if (line is null)
                {
                    string err;
                    lock (stderr) err = stderr.ToString().Trim().Replace('\n', ' ');
                    throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program exited before it was ready (scenario '{scenario}'): {err}");
                }
                if (line.StartsWith("LEAKLAB-READY", StringComparison.Ordinal))
                    break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            sample.Dispose();
            throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample program did not print its READY line within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s");
        }
        catch
        {
            sample.Dispose();
            throw;
        }

        // Keep draining stdout: createdump writes its log lines there, and a full pipe would block the target.
        _ = Task.Run(async () =>
        {
            try { while (await process.StandardOutput.ReadLineAsync() is not null) { } }
            catch (Exception) { /* the process was killed */ }
        });
        return sample;
    }

    /// <summary>Kills the process (and its children) and waits for it to exit. Safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        finally
        {
            // Killed runtimes leave their diagnostic socket and debugger pipes in /tmp; remove them.
            DotNetProcesses.RemoveLeftovers(Pid);
            lock (s_gate) s_running.Remove(_process);
            _process.Dispose();
        }
    }

    public override string ToString() => $"LeakLab.Sample {Scenario} (pid {Pid}{(HasExited ? ", stopped" : "")})";

    private static void Register(Process process)
    {
        lock (s_gate)
        {
            s_running.Add(process);
            if (s_hooked)
                return;
            s_hooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }
    }

    private static void KillAll()
    {
        Process[] all;
        lock (s_gate) all = [.. s_running];
        foreach (var p in all)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); }
            catch (Exception) { /* best effort at exit */ }
        }
    }

    internal static string FindSampleDll()
    {
        const string name = "LeakLab.Sample.dll";
        var candidates = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, name),
            Path.Combine(Path.GetDirectoryName(typeof(SampleProgram).Assembly.Location) ?? ".", name),
        };
        foreach (string c in candidates)
        {
            if (File.Exists(c))
                return c;
        }

        // From a notebook in the repository: walk up to LeakLab.sln and take the newest build of the sample.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "LeakLab.sln")))
                continue;
            var sampleDir = Path.Combine(dir.FullName, "sampledata", "LeakLab.Sample");
            var found = new[] { Path.Combine(sampleDir, "bin"), Path.Combine(dir.FullName, "artifacts", "bin", "LeakLab.Sample") }
                .Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFiles(d, name, SearchOption.AllDirectories))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
            if (found is not null)
                return found;
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"{name} is not built; run `dotnet build {sampleDir}`");
        }
        throw new LeakLabException(LeakLabErrorKind.FileMissing, $"{name} was not found beside the LeakLab assemblies ({candidates[0]}); run the notebook from the LeakLab repository or install the leaklab tool");
    }
}
