using System.Text.Json.Nodes;

namespace LeakLab.Runner;

/// <summary>A cell of a notebook: its kind, kernel language, source, and (after a run) its outputs.</summary>
internal sealed class NotebookCell
{
    public NotebookCell(CellKind kind, string language, string source, JsonObject? original = null)
    {
        Kind = kind;
        Language = language;
        Source = source;
        Original = original;
    }

    public CellKind Kind { get; }
    /// <summary>"csharp", "markdown", "fsharp", ... (the .NET Interactive kernel name).</summary>
    public string Language { get; }
    public string Source { get; }
    /// <summary>The cell's JSON in the source .ipynb (kept so metadata survives the rewrite).</summary>
    public JsonObject? Original { get; }
    public List<CellOutput> Outputs { get; } = [];
    public int? ExecutionCount { get; set; }
}
