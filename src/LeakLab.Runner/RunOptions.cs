namespace LeakLab.Runner;

/// <summary>Where <see cref="NotebookRunner"/> writes its outputs and progress, and how long a cell may run.</summary>
public sealed record RunOptions
{
    /// <summary>One self-contained HTML report (CSS and plotly.js once; cell sources collapsed). Null: none.</summary>
    public string? HtmlReportPath { get; init; }
    /// <summary>The executed notebook as .ipynb with outputs filled in. Null: none.</summary>
    public string? OutputNotebookPath { get; init; }
    /// <summary>Progress lines ("[3/12] cell 3: ok 0.4 s"); null for silence. The CLI passes stderr.</summary>
    public TextWriter? Progress { get; init; }
    /// <summary>
    /// The longest one code cell may run; past it the cell is cancelled, reported, and the run stops. Null: no limit.
    /// </summary>
    public TimeSpan? CellTimeout { get; init; }
}
