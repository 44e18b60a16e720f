using System.Diagnostics;

namespace LeakLab.Cli.Demo;

/// <summary>
/// Finds LeakLab.Sample.dll: beside leaklab.dll (the project reference puts it there, and the tool package carries it),
/// else builds sampledata/LeakLab.Sample from the repository that holds the current folder.
/// </summary>
internal static class SampleLocator
{
    public const string SampleDll = "LeakLab.Sample.dll";
    private const string SampleProject = "sampledata/LeakLab.Sample/LeakLab.Sample.csproj";

    public static string Find(ProgressLine progress, CancellationToken cancellation)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, SampleDll);
        if (File.Exists(beside))
            return beside;

        string? repo = FindRepoRoot(Environment.CurrentDirectory) ?? FindRepoRoot(AppContext.BaseDirectory);
        if (repo is null)
            throw new LeakLabException(LeakLabErrorKind.FileMissing,
                $"{SampleDll} is not beside leaklab ({AppContext.BaseDirectory}) and no LeakLab.sln was found above the current folder; run 'leaklab demo' from the LeakLab repository, or reinstall the tool.");
        return Build(repo, progress, cancellation);
    }

    internal static string? FindRepoRoot(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeakLab.sln")) && File.Exists(Path.Combine(dir.FullName, SampleProject)))
                return dir.FullName;
        }
        return null;
    }

    private static string Build(string repo, ProgressLine progress, CancellationToken cancellation)
    {
        // Its own artifacts folder: the build leaves the repository's bin/obj alone and cannot collide with an IDE's build.
        string artifacts = Path.Combine(Path.GetTempPath(), "leaklab-demo-sample");
        // Said at once, not only when done: a first build takes 30-60 s, and silence that long looks like a hang.
        // Two short lines rather than one: each fits a 100-column terminal.
        progress.Note($"building the sample program ({SampleDll} is not beside leaklab):");
        progress.Note("about a minute the first time, seconds after that");
        progress.Phase($"building {SampleProject}");
        var psi = new ProcessStartInfo(DotNetHost.Path())
        {
            WorkingDirectory = repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "build", SampleProject, "-c", "Release", "--artifacts-path", artifacts, "-nologo", "-v", "quiet" })
            psi.ArgumentList.Add(arg);

        using Process build = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, "could not start 'dotnet build'; is the .NET SDK on PATH?");
        Task<string> stdout = build.StandardOutput.ReadToEndAsync(cancellation);
        Task<string> stderr = build.StandardError.ReadToEndAsync(cancellation);
        try
        {
            build.WaitForExitAsync(cancellation).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }
        string dll = Path.Combine(artifacts, "bin", "LeakLab.Sample", "release", SampleDll);
        if (build.ExitCode != 0 || !File.Exists(dll))
        {
            string log = MessageText.OneLine(stdout.Result + " " + stderr.Result);
            throw new LeakLabException(LeakLabErrorKind.Failed, $"'dotnet build {SampleProject}' failed (exit {build.ExitCode}): {Trim(log, 300)}");
        }
        progress.Done($"built {SampleDll}");
        return dll;
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}
