using System.Diagnostics;

namespace LeakLab.Runner;

/// <summary>
/// Runs every notebook of a folder (its .ipynb and .dib files, not sub-folders), each in its own child process (a
/// headless run owns its process: the kernel redirects the console and keeps formatter state in statics), a few at a
/// time, and writes one report per notebook plus an index.html linking each with its status and duration.
/// </summary>
public static class NotebookFolderRunner
{
    private const int CancelledExit = 130;

    /// <summary>The notebooks of <paramref name="folder"/> in name order; a one-line <see cref="LeakLabException"/> when it holds none.</summary>
    public static IReadOnlyList<string> Notebooks(string folder)
    {
        string path = Path.GetFullPath(folder);
        if (!Directory.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"folder '{folder}' does not exist; check the path.");
        var notebooks = Directory.EnumerateFiles(path)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".ipynb" or ".dib")
            .Order(StringComparer.Ordinal).ToList();
        if (notebooks.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"folder '{folder}' holds no notebook (.ipynb or .dib); pass a folder of notebooks or one notebook file.");
        return notebooks;
    }

    /// <summary>
    /// Runs the notebooks of <paramref name="folder"/> with <c>COMMAND run NOTEBOOK --html DIR/NAME.html …</c>
    /// (<see cref="FolderRunOptions.Command"/>), at most <see cref="FolderRunOptions.Parallel"/> at once, then writes
    /// DIR/index.html. A failing notebook does not stop the others. Cancelling kills the running children.
    /// </summary>
    public static async Task<FolderRunResult> RunAsync(string folder, string reportFolder, FolderRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Parallel < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "Parallel must be at least 1");
        var notebooks = Notebooks(folder);
        string dir = Directory.CreateDirectory(Path.GetFullPath(reportFolder)).FullName;
        string? outputDir = options.OutputFolder is null ? null : Directory.CreateDirectory(Path.GetFullPath(options.OutputFolder)).FullName;
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var results = new FolderRunEntry[notebooks.Count];
        using var gate = new SemaphoreSlim(options.Parallel);
        var progressGate = new Lock();
        await Task.WhenAll(notebooks.Select(async (notebook, i) =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                results[i] = await RunOneAsync(notebook, dir, outputDir, options, cancellationToken);
                lock (progressGate)
                    options.Progress?.WriteLine($"[{results.Count(r => r is not null)}/{notebooks.Count}] {results[i].Describe()}");
            }
            finally
            {
                gate.Release();
            }
        }));

        var result = new FolderRunResult(Path.GetFullPath(folder), Path.Combine(dir, "index.html"), results, startedAt, clock.Elapsed);
        PrivateFile.WriteAllText(result.IndexPath, FolderIndexBuilder.Build(result));
        return result;
    }

    private static async Task<FolderRunEntry> RunOneAsync(string notebook, string dir, string? outputDir, FolderRunOptions options, CancellationToken cancellationToken)
    {
        string name = Path.GetFileNameWithoutExtension(notebook);
        string report = Path.Combine(dir, name + ".html"), log = Path.Combine(dir, name + ".log");
        if (cancellationToken.IsCancellationRequested)
        {
            PrivateFile.WriteAllText(log, "not run: the folder run was cancelled first\n");
            return new FolderRunEntry(notebook, null, log, CancelledExit, "not run (cancelled)", TimeSpan.Zero);
        }
        var psi = new ProcessStartInfo(options.Command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // Relative paths in a notebook resolve against its folder, as when Jupyter starts its kernel.
            WorkingDirectory = Path.GetDirectoryName(notebook)!,
        };
        foreach (string a in options.Command.Arguments.Concat(["run", notebook, "--html", report]))
            psi.ArgumentList.Add(a);
        if (outputDir is not null)
        {
            psi.ArgumentList.Add("--output");
            psi.ArgumentList.Add(Path.Combine(outputDir, name + ".ipynb"));
        }
        if (options.CellTimeout is { } t)
        {
            psi.ArgumentList.Add("--cell-timeout");
            psi.ArgumentList.Add(t.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start {options.Command.FileName}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        bool cancelled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
        }
        string output = await stdout + await stderr;
        PrivateFile.WriteAllText(log, output);
        int exit = process.ExitCode;
        string? error = exit == 0 ? null : cancelled ? "cancelled" : LastError(output) ?? $"exit code {exit}";
        return new FolderRunEntry(notebook, File.Exists(report) ? report : null, log, exit, error, clock.Elapsed);
    }

    /// <summary>The child's one-line error ("leaklab: error: cell 3 failed: …"), without the prefix.</summary>
    private static string? LastError(string output) =>
        output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("leaklab: error: ", StringComparison.Ordinal) || l.StartsWith("leaklab: cancelled", StringComparison.Ordinal))
            ?.Replace("leaklab: error: ", "", StringComparison.Ordinal);
}

/// <summary>How <see cref="NotebookFolderRunner"/> runs each notebook.</summary>
public sealed record FolderRunOptions
{
    /// <summary>The program and leading arguments of a headless run, e.g. ("dotnet", ["leaklab.dll"]); "run NOTEBOOK …" follows.</summary>
    public required (string FileName, IReadOnlyList<string> Arguments) Command { get; init; }
    /// <summary>Notebooks run at once (default: the machine's cores).</summary>
    public int Parallel { get; init; } = Environment.ProcessorCount;
    /// <summary>A folder for the executed notebooks (NAME.ipynb); null: none.</summary>
    public string? OutputFolder { get; init; }
    /// <summary>Passed to each run as --cell-timeout; null: no limit.</summary>
    public TimeSpan? CellTimeout { get; init; }
    /// <summary>One line per finished notebook; null for silence.</summary>
    public TextWriter? Progress { get; init; }
}

/// <summary>One notebook of a folder run: its report (null if none was written), log, exit code, one-line error, duration.</summary>
public sealed record FolderRunEntry(string NotebookPath, string? ReportPath, string LogPath, int ExitCode, string? Error, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() =>
        $"{Path.GetFileName(NotebookPath)}: {(Succeeded ? "ok" : "FAILED: " + Error)} ({Elapsed.TotalSeconds:0.0} s)";
}

/// <summary>What a folder run did: every notebook's entry in name order, and where the index page is.</summary>
public sealed record FolderRunResult(string Folder, string IndexPath, IReadOnlyList<FolderRunEntry> Entries, DateTimeOffset StartedAt, TimeSpan Elapsed)
{
    public IReadOnlyList<FolderRunEntry> Failed => [.. Entries.Where(e => !e.Succeeded)];
}
