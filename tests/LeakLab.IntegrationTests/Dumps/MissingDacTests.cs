using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LeakLab.IntegrationTests.Dumps;

/// <summary>
/// A dump of a process whose runtime folder has no DAC (as with a private or container runtime): the loader finds
/// the DAC of the same build among the installed runtimes, takes one given with --dac, and otherwise says exactly
/// what is missing and what to do.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MissingDacTests(MissingDacFixture fixture) : IClassFixture<MissingDacFixture>
{
    private const string DacFileName = MissingDacFixture.DacFileName;
    private string Dump => fixture.DumpPath;
    private string RuntimeVersion => fixture.Version;
    private string RuntimeFolder => fixture.RuntimeFolder;
    private string Nowhere => Path.Combine(Path.GetDirectoryName(fixture.DumpPath)!, "nowhere");

    [Fact]
    public void TheDacOfTheSameInstalledBuildIsFound()
    {
        HeapGraph graph = DumpLoader.Load(Dump);
        Assert.Equal(RuntimeVersion, graph.Info.RuntimeVersion);
        Assert.Contains(graph.Roots, r => r.Name == StaticCacheLoadFixture.CacheFieldName && r.Kind == RootKind.StaticField);
    }

    [Fact]
    public void WithNoDacAnywhereTheErrorSaysWhatToDo()
    {
        var options = new DumpLoadOptions { RuntimeSearchRoots = [Nowhere] };
        var error = Assert.Throws<LeakLabException>(() => DumpLoader.Load(Dump, options));
        Assert.Equal(LeakLabErrorKind.MissingDac, error.Kind);
        // The line names the runtime it needs and where it looked, so the user knows which runtime to install.
        Assert.Contains(RuntimeVersion, error.Message);
        Assert.Contains(RuntimeFolder, error.Message);
        Assert.Equal(LeakLabErrorKind.MissingDac, Assert.Throws<LeakLabException>(() => DumpLoader.ReadTypeStatistics(Dump, options)).Kind);
    }

    [Fact]
    public void AnExplicitDacIsUsedWhenNoneIsFound()
    {
        var options = new DumpLoadOptions
        {
            RuntimeSearchRoots = [Nowhere],
            DacPath = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), DacFileName),
        };
        IReadOnlyList<TypeStat> stats = DumpLoader.ReadTypeStatistics(Dump, options);
        Assert.Contains(stats, s => s.Type == "LeakLab.Sample.CachedOrder");
    }
}

/// <summary>
/// The sample run on a private copy of the installed runtime, dumped, and then the copy's DAC deleted: what a dump
/// looks like on a machine without that runtime. (createdump itself needs the DAC, so it goes after the dump.)
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MissingDacFixture : IAsyncLifetime
{
    public const string DacFileName = "libmscordaccore.so";
    private readonly TempFolder _folder = new("leaklab-no-dac");
    private Process? _sample;

    public string RuntimeFolder { get; private set; } = "";
    public string DumpPath { get; private set; } = "";
    public string Version { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // A private copy of the installed runtime. Hard links keep it cheap; the process maps the files under the
        // copy's path, which is where ClrMD then looks for the DAC.
        string installed = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/');
        Version = Path.GetFileName(installed);
        string dotnetRoot = Path.GetFullPath(Path.Combine(installed, "..", "..", ".."));
        string root = _folder.File("dotnet");
        RuntimeFolder = Path.Combine(root, "shared", "Microsoft.NETCore.App", Version);
        LinkTree(installed, RuntimeFolder, skip: null);
        LinkTree(Path.Combine(dotnetRoot, "host"), Path.Combine(root, "host"), skip: null);
        Link(Path.Combine(dotnetRoot, "dotnet"), Path.Combine(root, "dotnet"));

        var psi = new ProcessStartInfo(Path.Combine(root, "dotnet"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.Path,
        };
        foreach (string arg in new[] { SampleProcess.SampleDllPath, "static-cache", "--rate", "200", "--parent-pid", Environment.ProcessId.ToString() })
            psi.ArgumentList.Add(arg);
        psi.Environment.Remove("DOTNET_ROOT");
        _sample = Process.Start(psi) ?? throw new InvalidOperationException("could not start the sample on the copied runtime");
        ChildProcessGuard.Register(_sample);
        _sample.ErrorDataReceived += (_, _) => { };
        _sample.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        do
        {
            line = await _sample.StandardOutput.ReadLineAsync(timeout.Token);
        } while (line is not null && !line.StartsWith(SampleProcess.ReadyPrefix, StringComparison.Ordinal));
        Assert.NotNull(line);
        _ = DrainAsync(_sample.StandardOutput); // createdump logs to the target's stdout; keep the pipe from filling
        await Task.Delay(500);
        DumpPath = DumpCapture.Write(_sample.Id, _folder.File("no-dac.dmp")).Path;
        File.Delete(Path.Combine(RuntimeFolder, DacFileName));
    }

    public async Task DisposeAsync()
    {
        if (_sample is not null)
        {
            try
            {
                if (!_sample.HasExited)
                    _sample.Kill(entireProcessTree: true);
                await _sample.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException) { }
            DotNetProcesses.RemoveLeftovers(_sample.Id); // a killed runtime leaves its socket and debugger pipes in /tmp
            ChildProcessGuard.Unregister(_sample);
            _sample.Dispose();
        }
        _folder.Dispose();
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is not null) { }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException) { }
    }

    private static void LinkTree(string from, string to, string? skip)
    {
        Directory.CreateDirectory(to);
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) != skip)
                Link(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    /// <summary>A hard link when the temp folder shares a file system with the runtime, else a copy.</summary>
    private static void Link(string from, string to)
    {
        if (link(from, to) == 0)
            return;
        File.Copy(from, to);
        File.SetUnixFileMode(to, File.GetUnixFileMode(from));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string oldPath, string newPath);
}
