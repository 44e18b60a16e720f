namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// LeakLab.Interactive packed from this build, the way the README tells users (scripts/pack-notebook-package.sh),
/// into a private folder registered in a private NuGet config: kernels started with <see cref="Environment"/> see this
/// package only, so parallel checkouts on one machine never load each other's builds. The fresh version per pack
/// keeps the shared NuGet cache from serving an older build; this fixture removes its version from that cache again.
/// </summary>
public sealed class NotebookPackageFixture : IDisposable
{
    public const string Collection = "notebook package";

    private readonly TempFolder _folder = new("leaklab-nbpkg");

    public NotebookPackageFixture()
    {
        string tools = Path.Combine(RepoPaths.Root, ".tools");
        if (!File.Exists(Path.Combine(tools, "dotnet-interactive")))
            throw new InvalidOperationException($"the dotnet-interactive tool is missing from {tools}; run scripts/install-test-deps.sh");
        ConfigFile = _folder.File("nuget.config");
        using var pack = ChildProcess.Start("bash",
            [Path.Combine(RepoPaths.Root, "scripts", "pack-notebook-package.sh"), "--no-build", "--configuration", BuildConfiguration,
             "--output", _folder.File("packages"), "--nuget-config", ConfigFile],
            RepoPaths.Root);
        int exit = pack.WaitAsync(TimeSpan.FromMinutes(3)).GetAwaiter().GetResult();
        if (exit != 0)
            throw new InvalidOperationException($"packing LeakLab.Interactive failed (exit {exit})\n{pack}");
        Version = pack.Stdout.Trim().Split('\n')[^1].Trim();
        Environment = new Dictionary<string, string>
        {
            // MSBuild reads environment variables as properties: the kernel's package restore then uses this config only.
            ["RestoreConfigFile"] = ConfigFile,
            // The .net-csharp kernelspec starts `dotnet interactive`: the tool must be on PATH.
            ["PATH"] = tools + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        };
    }

    /// <summary>The version packed, e.g. 0.1.0-dev.1796061010.5328.</summary>
    public string Version { get; }
    public string ConfigFile { get; }
    /// <summary>Environment variables for a kernel (Jupyter's or <c>leaklab run</c>'s) that must load this package.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    private static string BuildConfiguration =>
        typeof(NotebookPackageFixture).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            is [System.Reflection.AssemblyConfigurationAttribute { Configuration: { Length: > 0 } c }] ? c : "Release";

    public void Dispose()
    {
        _folder.Dispose();
        string cache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        try
        {
            string ours = Path.Combine(cache, "leaklab.interactive", Version.ToLowerInvariant());
            if (Directory.Exists(ours))
                Directory.Delete(ours, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(NotebookPackageFixture.Collection)]
public sealed class NotebookPackageCollection : ICollectionFixture<NotebookPackageFixture>;
