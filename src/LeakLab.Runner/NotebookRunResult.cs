namespace LeakLab;

/// <summary>What a headless run did: cells run, the first failure (if any), and where the outputs went.</summary>
public sealed record NotebookRunResult(
    string NotebookPath,
    int CellCount,
    int CellsRun,
    int? FailedCell,
    string? Error,
    TimeSpan Elapsed,
    string? HtmlReportPath,
    string? OutputNotebookPath)
{
    public bool Succeeded => FailedCell is null;

    /// <summary>Throws a one-line <see cref="LeakLabException"/> naming the failed cell and its error.</summary>
    public void ThrowIfFailed()
    {
        if (!Succeeded)
            throw new LeakLabException($"{Path.GetFileName(NotebookPath)}: {Error}");
    }
}
