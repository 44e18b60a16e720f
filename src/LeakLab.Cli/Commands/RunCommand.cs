using System.CommandLine;

namespace LeakLab.Cli;

/// <summary>
/// <c>leaklab run NOTEBOOK(.ipynb|.dib) [--html REPORT.html] [--output OUT.ipynb] [--cell-timeout SECONDS]</c>: runs a
/// notebook headless on the .NET Interactive C# kernel with <see cref="NotebookRunner"/>, progress per cell on stderr.
/// Exit 0 when every cell ran, 1 at the first failing or timed-out cell, 130 when cancelled (Ctrl+C, SIGTERM); the
/// outputs so far are written in every case.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> notebook = new("notebook")
        {
            Description = "The notebook to run: a Jupyter .ipynb or a Polyglot .dib file.",
            HelpName = "NOTEBOOK",
        };
        Option<string?> html = new("--html") { Description = "Write one self-contained HTML report of the run (works offline).", HelpName = "REPORT.html" };
        Option<string?> output = new("--output", "-o") { Description = "Write the executed notebook, outputs filled in, as .ipynb.", HelpName = "OUT.ipynb" };
        Option<double?> cellTimeout = new("--cell-timeout")
        {
            Description = "Cancel a cell that runs longer than this many seconds, report it, and stop (exit 1). Default: no limit.",
            HelpName = "SECONDS",
        };

        var command = new Command("run",
            "Run a notebook headless on the .NET Interactive C# kernel (the kernel behind Jupyter and VS Code Polyglot Notebooks, "
            + "in-process): #r \"nuget:...\" loads packages and their extensions, #!leaklab and other magic commands work as there. "
            + "Stops at the first failing cell (exit 1) or when cancelled (exit 130); the outputs so far are still written to --html and --output.")
        {
            notebook, html, output, cellTimeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = NotebookRunner.CheckNotebook(parse.GetValue(notebook)!);
            string? htmlPath = OutputPath(parse.GetValue(html), "--html", ".html", ".htm");
            string? outputPath = OutputPath(parse.GetValue(output), "--output", ".ipynb");
            if (outputPath is not null && string.Equals(outputPath, path, StringComparison.Ordinal))
                throw new UsageException("--output would overwrite the notebook being run; choose another file name");
            TimeSpan? timeout = parse.GetValue(cellTimeout) switch
            {
                null => null,
                > 0 and <= 86_400 and var seconds => TimeSpan.FromSeconds(seconds),
                var bad => throw new UsageException($"--cell-timeout takes seconds between 0 and 86400, got {bad}"),
            };

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
                throw new LeakLabException(result.Error ?? $"cell {result.StoppedAt} failed");
            context.Out.WriteLine($"Ran {Path.GetFileName(path)}: {result.CellsRun} code cell(s) of {result.CellCount} in {ProgressLine.Seconds(result.Elapsed)}");
            return CliApp.Success;
        });
        return command;
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
            throw new LeakLabException($"{option} '{file}' is a folder; give a file name");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LeakLabException($"cannot create the folder for {option} '{file}' ({MessageText.OneLine(ex.Message)}); choose a folder you can write to");
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
