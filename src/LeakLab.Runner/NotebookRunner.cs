using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace LeakLab.Runner;

/// <summary>
/// Runs a notebook (.ipynb or .dib) headless on the .NET Interactive C# kernel itself, in-process and configured like
/// the dotnet-interactive tool behind Jupyter and VS Code (see <c>NotebookKernel</c>): packages load with
/// <c>#r "nuget:…"</c> and run their extension.dib, magic commands are the kernel's, outputs are the kernel's
/// formatted values. Stops at the first failing cell, at a cell past <see cref="RunOptions.CellTimeout"/>, or when
/// cancelled; then writes the executed .ipynb and one self-contained HTML report of what ran.
/// </summary>
/// <remarks>
/// The kernel redirects <see cref="Console.Out"/> while cells run and keeps formatter settings in static state, as
/// in the tool: run one notebook at a time per process. Bad notebook files throw a one-line <see cref="LeakLabException"/>;
/// a failing cell does not throw, it is reported in the result.
/// </remarks>
public static class NotebookRunner
{
    /// <summary>
    /// The absolute path of an existing .ipynb or .dib file; a one-line <see cref="LeakLabException"/> otherwise (hosts
    /// check before they create output folders or start anything).
    /// </summary>
    public static string CheckNotebook(string file) => NotebookFile.Check(file);

    public static async Task<NotebookRunResult> RunAsync(string path, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        if (options.CellTimeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "CellTimeout must be positive");
        string fullPath = NotebookFile.Check(path);
        var document = NotebookFile.Load(fullPath);
        var cells = document.Elements;
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        TextWriter? progress = options.Progress;

        var kernel = NotebookKernel.Create();
        await WarmUpAsync(kernel, progress);
        int executionCount = 0;
        var end = RunEnd.Completed;
        int? stoppedAt = null;
        string? error = null;
        IReadOnlyList<string> targets = [];
        try
        {
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                string label = $"[{i + 1}/{cells.Count}] cell {i + 1}";
                if (cell.KernelName == NotebookKernel.Markdown)
                {
                    progress?.WriteLine($"{label}: markdown");
                    continue;
                }
                if (cancellationToken.IsCancellationRequested)
                {
                    (end, stoppedAt, error) = (RunEnd.Cancelled, i + 1, $"cancelled before cell {i + 1}");
                    break;
                }
                if (cell.KernelName != NotebookKernel.CSharp)
                {
                    executionCount++;
                    (end, stoppedAt) = (RunEnd.CellFailed, i + 1);
                    error = $"cell {i + 1} failed: it is a '{cell.KernelName}' cell, and leaklab run runs C# cells only (mark it as C# or run it in Jupyter)";
                    progress?.WriteLine($"{label}: FAILED: {error}");
                    break;
                }

                var cellClock = Stopwatch.StartNew();
                cell.ExecutionOrder = ++executionCount;
                var result = await CellExecution.RunAsync(kernel, cell, executionCount, options.CellTimeout, cancellationToken);
                string seconds = $"{cellClock.Elapsed.TotalSeconds:0.0} s";
                if (result.End == CellEnd.Succeeded)
                {
                    progress?.WriteLine($"{label}: ok {seconds}");
                    continue;
                }

                stoppedAt = i + 1;
                (end, error) = result.End switch
                {
                    CellEnd.TimedOut => (RunEnd.CellTimedOut, $"cell {i + 1} timed out: {result.Error}"),
                    CellEnd.Cancelled => (RunEnd.Cancelled, $"cancelled at cell {i + 1}"),
                    _ => (RunEnd.CellFailed, $"cell {i + 1} failed: {result.Error}"),
                };
                // The label already names the cell: "[2/5] cell 3: FAILED 1.3 s: Exception: boom", not "cell 3 failed" again.
                string status = end == RunEnd.CellFailed ? "FAILED" : end == RunEnd.Cancelled ? "CANCELLED" : "TIMED OUT";
                progress?.WriteLine($"{label}: {status} {seconds}{(string.IsNullOrEmpty(result.Error) ? "" : ": " + result.Error)}");
                break;
            }
            if (end != RunEnd.Cancelled)
                targets = await TargetProbe.RunAsync(kernel);
        }
        finally
        {
            // Disposing stops what the kernel owns; a cell that ignored cancellation may block it, so never wait long.
            var disposing = Task.Run(kernel.Dispose, CancellationToken.None);
            await Task.WhenAny(disposing, Task.Delay(end == RunEnd.Completed ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(1), CancellationToken.None));
        }

        var run = new NotebookRunResult(fullPath, cells.Count, executionCount, end, stoppedAt, error, clock.Elapsed,
            options.HtmlReportPath is null ? null : Path.GetFullPath(options.HtmlReportPath),
            options.OutputNotebookPath is null ? null : Path.GetFullPath(options.OutputNotebookPath))
        {
            StartedAt = startedAt,
            Targets = targets,
        };

        // Written whatever the end: the outputs of the cells before a failure are how one sees what happened.
        if (run.OutputNotebookPath is not null)
            NotebookFile.SaveIpynb(document, run.OutputNotebookPath);
        if (run.HtmlReportPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(run.HtmlReportPath)!);
            PrivateFile.WriteAllText(run.HtmlReportPath, ReportBuilder.Build($"LeakLab report: {Path.GetFileName(fullPath)}", cells, run));
        }
        progress?.WriteLine(run.Succeeded
            ? $"{Path.GetFileName(fullPath)}: {Quantity.Of(executionCount, "code cell")} ran in {run.Elapsed.TotalSeconds:0.0} s"
            : $"{Path.GetFileName(fullPath)}: {error}");
        return run;
    }

    /// <summary>
    /// Compiles and runs one trivial submission before the first cell, so the C# compiler's start (seconds on a
    /// busy machine) is not charged to the first cell's --cell-timeout. A kernel in Jupyter pays it on its first cell.
    /// </summary>
    private static async Task WarmUpAsync(CompositeKernel kernel, TextWriter? progress)
    {
        var clock = Stopwatch.StartNew();
        await kernel.SendAsync(new SubmitCode("0", NotebookKernel.CSharp), CancellationToken.None);
        progress?.WriteLine($"C# kernel ready in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
