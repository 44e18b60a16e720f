namespace LeakLab.Runner;

/// <summary>What a headless run did: cells run, how it ended, the cell it stopped at, and where the outputs went.</summary>
/// <param name="CellCount">All cells, markdown included; cell numbers count from 1 over all of them.</param>
/// <param name="CellsRun">Code cells started, the one that stopped the run included.</param>
/// <param name="StoppedAt">The cell that failed, timed out or was running when cancelled; null when completed.</param>
/// <param name="Error">One line: "cell 3 failed: …"; null when completed.</param>
public sealed record NotebookRunResult(
    string NotebookPath,
    int CellCount,
    int CellsRun,
    RunEnd End,
    int? StoppedAt,
    string? Error,
    TimeSpan Elapsed,
    string? HtmlReportPath,
    string? OutputNotebookPath)
{
    public bool Succeeded => End == RunEnd.Completed;

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// What the notebook's LeakLab session investigated, one description each ("LeakLab.Sample timer (pid 812)",
    /// "myapp (pid 77)", "a.dmp"); empty when it loaded no LeakLab or the run was cancelled.
    /// </summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Throws a one-line <see cref="LeakLabException"/> naming the cell that stopped the run and why.</summary>
    public void ThrowIfFailed()
    {
        if (!Succeeded)
            throw new LeakLabException(LeakLabErrorKind.Failed, $"{Path.GetFileName(NotebookPath)}: {Error}");
    }
}
