using System.Diagnostics;
using LeakLab.Runner;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace LeakLab;

/// <summary>
/// Runs a notebook (.ipynb or .dib) headless: C# cells with Roslyn scripting in one continuing state (the
/// engine of the .NET Interactive C# kernel), <c>#!leaklab</c> lines through <see cref="MagicCommandExecutor"/>,
/// outputs formatted by the same formatter sources a kernel uses. Stops at the first failing cell, then writes
/// the executed .ipynb and one self-contained HTML report.
/// </summary>
/// <remarks>Cells redirect <see cref="Console.Out"/> while they run, so run one notebook at a time per process.</remarks>
public static class NotebookRunner
{
    public static async Task<NotebookRunResult> RunAsync(string path, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        string fullPath = Path.GetFullPath(path);
        var document = NotebookDocument.Load(fullPath);
        var cells = document.Cells;
        var clock = Stopwatch.StartNew();
        TextWriter? progress = options.Progress;

        var session = options.Session ?? new LeakLabSession();
        var previousSession = Lab.Current;
        Lab.Current = session;
        var collector = new OutputCollector();
        var host = new ScriptHost(new NotebookGlobals(session, collector.Display));
        var executor = new MagicCommandExecutor(session);
        int executionCount = 0, cellsRun = 0;
        int? failedCell = null;
        string? error = null;

        try
        {
            for (int i = 0; i < cells.Count && failedCell is null; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cell = cells[i];
                string label = $"[{i + 1}/{cells.Count}] cell {i + 1}";
                if (cell.Kind != CellKind.Code)
                {
                    progress?.WriteLine($"{label}: {(cell.Kind == CellKind.Markdown ? "markdown" : "raw")}");
                    continue;
                }

                var cellClock = Stopwatch.StartNew();
                cell.ExecutionCount = ++executionCount;
                cellsRun++;
                string? problem = await RunCellAsync(cell, host, executor, collector, cancellationToken);
                if (problem is not null)
                {
                    failedCell = i + 1;
                    error = $"cell {i + 1} failed: {problem}";
                    progress?.WriteLine($"{label}: FAILED {cellClock.Elapsed.TotalSeconds:0.0} s: {problem}");
                }
                else
                {
                    progress?.WriteLine($"{label}: ok {cellClock.Elapsed.TotalSeconds:0.0} s");
                }
            }
        }
        finally
        {
            Lab.Current = previousSession;
            if (options.Session is null)
                session.Dispose(); // stops the sample programs the notebook started, even after a failure
        }

        var result = new NotebookRunResult(fullPath, cells.Count, cellsRun, failedCell, error, clock.Elapsed,
            options.HtmlReportPath is null ? null : Path.GetFullPath(options.HtmlReportPath),
            options.OutputNotebookPath is null ? null : Path.GetFullPath(options.OutputNotebookPath));

        if (result.OutputNotebookPath is not null)
            document.SaveIpynb(result.OutputNotebookPath);
        if (result.HtmlReportPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(result.HtmlReportPath)!);
            PrivateFile.WriteAllText(result.HtmlReportPath, ReportBuilder.Build($"LeakLab report: {Path.GetFileName(fullPath)}", cells, result));
        }
        progress?.WriteLine(result.Succeeded
            ? $"{Path.GetFileName(fullPath)}: {cellsRun} code cell(s) ran in {result.Elapsed.TotalSeconds:0.0} s"
            : $"{Path.GetFileName(fullPath)}: {error}");
        return result;
    }

    /// <summary>Runs one code cell; returns null on success, else the one-line problem (also added as an error output).</summary>
    private static async Task<string?> RunCellAsync(NotebookCell cell, ScriptHost host, MagicCommandExecutor executor, OutputCollector collector, CancellationToken cancellationToken)
    {
        collector.Begin(cell);
        TextWriter stdout = Console.Out, stderr = Console.Error;
        Console.SetOut(collector.Stdout);
        Console.SetError(collector.Stderr);
        int line = 1;
        bool inMagic = false; // runtime errors in C# carry no line (no debug info); magic commands and compile errors do
        try
        {
            if (cell.Language != "csharp")
                throw new LeakLabException($"the headless runner runs C# cells only, and this cell is {cell.Language}");
            var segments = CellSegmenter.Split(cell.Source);
            for (int s = 0; s < segments.Count; s++)
            {
                var segment = segments[s];
                line = segment.Line;
                inMagic = segment is MagicSegment;
                bool last = s == segments.Count - 1;
                switch (segment)
                {
                    case CSharpSegment code:
                        object? value = await host.RunAsync(code.Code, cancellationToken);
                        if (value is not null)
                        {
                            if (last)
                                collector.Result(value, cell.ExecutionCount ?? 0);
                            else
                                collector.Display(value);
                        }
                        break;
                    case MagicSegment magic:
                        object? shown = await executor.ExecuteAsync(magic.Text);
                        if (shown is not null)
                            collector.Display(shown);
                        break;
                    case SkippedSegment skipped:
                        collector.Note(skipped.Note);
                        break;
                }
            }
            return null;
        }
        catch (CompilationErrorException e)
        {
            var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3)
                .Select(d => $"line {line + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Id}: {d.GetMessage()}")
                .ToList();
            string message = string.Join("; ", errors);
            collector.Error(new ErrorOutput("CompilationError", message, errors));
            return message;
        }
        catch (LeakLabException e)
        {
            string message = e.Message.StartsWith("line ", StringComparison.Ordinal) || !inMagic ? e.Message : $"line {line}: {e.Message}";
            collector.Error(new ErrorOutput("LeakLabException", message, [message]));
            return message;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            string message = (inMagic ? $"line {line}: " : "") + $"{e.GetType().Name}: {e.Message}";
            collector.Error(new ErrorOutput(e.GetType().Name, message, e.ToString().Split('\n')));
            return message;
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            collector.End();
        }
    }
}
