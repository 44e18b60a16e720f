
namespace LeakLab.Notebooks.Session;

/// <summary>
/// A running LeakLab.Sample process started from a notebook. The session that started it kills it when the
/// session is disposed, and a process-exit hook kills it if the host dies first, so notebooks leave no orphans.
/// </summary>
public sealed class SampleProgram : IDisposable
{
    private readonly SampleProcess _process;

    private SampleProgram(SampleProcess process) => _process = process;

    public int Pid => _process.Pid;
    public string Scenario => _process.Scenario;
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>dotnet LeakLab.Sample.dll SCENARIO ARGS</c> and waits for its READY line (<see cref="SampleProcess"/>).
    /// The dll is looked up beside the LeakLab assemblies, then in the repository's build outputs.
    /// </summary>
    /// <exception cref="LeakLabException">The sample is not built, exited before it was ready, or stayed silent past the timeout (default 30 s).</exception>
    public static async Task<SampleProgram> StartAsync(string scenario, string[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var info = new SampleStartInfo(FindSampleDll(), scenario) { Arguments = args };
        if (timeout is { } t)
            info = info with { ReadyTimeout = t };
        return new SampleProgram(await SampleProcess.StartAsync(info, cancellationToken));
    }

    /// <summary>Kills the process (and its children) and waits for it to exit. Safe to call twice.</summary>
    public void Dispose() => _process.Dispose();

    public override string ToString() => _process.ToString();

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
