using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab run NOTEBOOK(.ipynb|.dib) [--html REPORT.html] [--output OUT.ipynb] [--cell-timeout SECONDS]</c>: runs a
/// notebook headless on the .NET Interactive C# kernel with <see cref="NotebookRunner"/>, progress per cell on stderr.
/// Exit 0 when every cell ran, 1 at the first failing or timed-out cell, 130 when cancelled (Ctrl+C, SIGTERM); the
/// outputs so far are written in every case.
/// <c>leaklab run FOLDER --html DIR [--output DIR] [--parallel N]</c>: every notebook of the folder, each in a child
/// <c>leaklab run</c>, N at once, into DIR with an index.html; exit 1 when any failed.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> notebook = new("NOTEBOOK")
        {
            Description = "The notebook to run: a Jupyter .ipynb or a Polyglot .dib file; or a folder: all its notebooks (then --html names a folder).",
            HelpName = "NOTEBOOK",
        };
        Option<string?> html = new("--html") { Description = "Write one self-contained HTML report of the run (works offline).", HelpName = "REPORT.html" };
        Option<string?> output = new("--output", "-o") { Description = "Write the executed notebook, outputs filled in, as .ipynb.", HelpName = "OUT.ipynb" };
        Option<double?> cellTimeout = new("--cell-timeout")
        {
            Description = "Cancel a cell that runs longer than this many seconds, report it, and stop (exit 1). Default: no limit.",
            HelpName = "SECONDS",
        };
        Option<int?> parallel = new("--parallel")
        {
            Description = "With a folder: notebooks run at once, each in its own process (default: the number of cores).",
            HelpName = "N",
        };

        var command = new Command("run",
            "Run a notebook headless on the .NET Interactive C# kernel (the kernel behind Jupyter and VS Code Polyglot Notebooks, "
            + "in-process): #r \"nuget:...\" loads packages and their extensions, #!leaklab and other magic commands work as there. "
            + "Stops at the first failing cell (exit 1) or when cancelled (exit 130); the outputs so far are still written to --html and --output.")
        {
            notebook, html, output, cellTimeout, parallel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Directory.Exists(parse.GetValue(notebook)))
                return await RunFolderAsync(context, parse.GetValue(notebook)!, parse.GetValue(html), parse.GetValue(output),
                    CellTimeout(parse.GetValue(cellTimeout)), parse.GetValue(parallel), cancellationToken);
            if (parse.GetValue(parallel) is not null)
                throw new UsageException("--parallel is for a folder of notebooks; pass a folder, or leave --parallel out");
            string path = NotebookRunner.CheckNotebook(parse.GetValue(notebook)!);
            string? htmlPath = OutputPath(parse.GetValue(html), "--html", ".html", ".htm");
            string? outputPath = OutputPath(parse.GetValue(output), "--output", ".ipynb");
            if (outputPath is not null && string.Equals(outputPath, path, StringComparison.Ordinal))
                throw new UsageException("--output would overwrite the notebook being run; choose another file name");
            TimeSpan? timeout = CellTimeout(parse.GetValue(cellTimeout));

            var progress = new ProgressWriter(context.Progress);
            NotebookRunResult result = await NotebookRunner.RunAsync(path, new RunOptions
            {
                HtmlReportPath = htmlPath,
                OutputNotebookPath = outputPath,
                Progress = progress,
                CellTimeout = timeout,
            }, cancellationToken);
            progress.Flush();

            // Written on failure too: the report of a failed run is how one sees what the earlier cells did.
            if (result.HtmlReportPath is not null)
                context.Out.WriteLine($"Wrote {result.HtmlReportPath}");
            if (result.OutputNotebookPath is not null)
                context.Out.WriteLine($"Wrote {result.OutputNotebookPath}");
            if (result.End == RunEnd.Cancelled)
            {
                context.Error.WriteLine($"leaklab: cancelled: {result.Error}");
                return CliApp.Cancelled;
            }
            if (!result.Succeeded)
                throw new LeakLabException(LeakLabErrorKind.Failed, result.Error ?? $"cell {result.StoppedAt} failed");
            context.Out.WriteLine($"Ran {Path.GetFileName(path)}: {result.CellsRun} of {Quantity.Of(result.CellCount, "code cell")} in {ProgressLine.Seconds(result.Elapsed)}");
            return CliApp.Success;
        });
        return command;
    }

    private static TimeSpan? CellTimeout(double? seconds) => seconds switch
    {
        null => null,
        > 0 and <= 86_400 => TimeSpan.FromSeconds(seconds.Value),
        var bad => throw new UsageException($"--cell-timeout takes seconds between 0 and 86400, got {bad}"),
    };

    /// <summary>
    /// Every notebook of <paramref name="folder"/>, each in a child <c>leaklab run</c> (this same program), into the
    /// report folder with an index.html; one progress line per notebook; exit 1 naming the failed ones.
    /// </summary>
    private static async Task<int> RunFolderAsync(CliContext context, string folder, string? html, string? output, TimeSpan? timeout, int? parallel, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(html))
            throw new UsageException("a folder of notebooks needs --html DIR: the folder for the reports and their index.html");
        if (File.Exists(html) || Path.GetExtension(html).ToLowerInvariant() is ".html" or ".htm")
            throw new UsageException($"with a folder of notebooks, --html names a folder for the reports, not a file: got '{html}'");
        if (output is not null && (File.Exists(output) || Path.GetExtension(output).ToLowerInvariant() == ".ipynb"))
            throw new UsageException($"with a folder of notebooks, --output names a folder for the executed notebooks, not a file: got '{output}'");
        if (parallel is < 1 or > 64)
            throw new UsageException($"--parallel takes a number of notebooks from 1 to 64, got {parallel}");
        var notebooks = NotebookFolderRunner.Notebooks(folder);

        var progress = new ProgressWriter(context.Progress);
        FolderRunResult result = await NotebookFolderRunner.RunAsync(folder, html, new FolderRunOptions
        {
            Command = SelfCommand(),
            Parallel = parallel ?? Math.Min(Environment.ProcessorCount, notebooks.Count),
            OutputFolder = output,
            CellTimeout = timeout,
            Progress = progress,
        }, cancellationToken);
        progress.Flush();
        context.Out.WriteLine($"Wrote {result.IndexPath}");
        if (cancellationToken.IsCancellationRequested)
        {
            context.Error.WriteLine("leaklab: cancelled: the notebooks still running were stopped");
            return CliApp.Cancelled;
        }
        if (result.Failed.Count > 0)
            throw new LeakLabException(LeakLabErrorKind.Failed, $"{result.Failed.Count} of {result.Entries.Count} notebooks failed: "
                + string.Join("; ", result.Failed.Select(e => $"{Path.GetFileName(e.NotebookPath)} ({e.Error})")));
        context.Out.WriteLine($"Ran {result.Entries.Count} notebooks in {ProgressLine.Seconds(result.Elapsed)}: all ok");
        return CliApp.Success;
    }

    /// <summary>How to start this program again: the apphost itself, or `dotnet leaklab.dll`.</summary>
    private static (string FileName, IReadOnlyList<string> Arguments) SelfCommand()
    {
        string host = Environment.ProcessPath ?? throw new LeakLabException(LeakLabErrorKind.Failed, "cannot tell which program is running; start leaklab by its path");
        string dll = typeof(RunCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? (host, [dll]) : (host, []);
    }

    /// <summary>
    /// The absolute path of an output file, its folder created now: a run can take minutes, and a typo in the folder
    /// should not surface only after the last cell.
    /// </summary>
    private static string? OutputPath(string? file, string option, params string[] extensions)
    {
        if (file is null)
            return null;
        if (string.IsNullOrWhiteSpace(file))
            throw new UsageException($"{option} needs a file name");
        string path = Path.GetFullPath(file);
        if (!extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            throw new UsageException($"{option} writes a {extensions[0]} file; give a file name ending in {extensions[0]}, got '{file}'");
        if (Directory.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"{option} '{file}' is a folder; give a file name");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"cannot create the folder for {option} '{file}' ({MessageText.OneLine(ex.Message)}); choose a folder you can write to");
        }
        return path;
    }

    /// <summary>
    /// The runner writes progress as lines to a <see cref="TextWriter"/>; this hands each finished line to the CLI's
    /// progress output, so they look like every other command's progress ("leaklab: [2/5] cell 2: ok 0.3 s").
    /// </summary>
    private sealed class ProgressWriter(ProgressLine progress) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                    EmitLine();
                else if (value != '\r')
                    _line.Append(value);
            }
        }

        public override void Flush()
        {
            lock (_line)
            {
                if (_line.Length > 0)
                    EmitLine();
            }
        }

        private void EmitLine()
        {
            progress.Note(_line.ToString());
            _line.Clear();
        }
    }
}
