using System.Text;
using Markdig;

namespace LeakLab.Runner;

/// <summary>
/// Builds the single self-contained HTML report of a run with <see cref="HtmlReport"/>: markdown cells rendered
/// (raw HTML in markdown disabled, so it stays inert), every code cell's source collapsed, outputs shown.
/// </summary>
internal static class ReportBuilder
{
    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder()
        .UsePipeTables().UseEmphasisExtras().UseAutoLinks().DisableHtml().Build();

    private const string Style = "<style>" +
        ".ll-cell{margin:.8em 0 .3em;border-left:3px solid #8884;padding-left:.6em}" +
        ".ll-cell summary{cursor:pointer;opacity:.75;font-size:.9em}" +
        ".ll-cell pre,.ll-out pre{overflow-x:auto;background:#8881;padding:.5em;border-radius:4px;font-size:.85em}" +
        ".ll-out{margin:.2em 0 .8em 0}.ll-out-stderr pre{opacity:.8}" +
        ".ll-error{border:1px solid #c33;background:#c331;padding:.4em .6em;border-radius:4px;margin:.4em 0}" +
        ".ll-summary{opacity:.8}" +
        "</style>";

    public static string Build(string title, IReadOnlyList<NotebookCell> cells, NotebookRunResult result)
    {
        var report = new HtmlReport(title);
        report.Html(Style);
        string status = result.Succeeded
            ? $"Ran {result.CellsRun} of {result.CellCount} cells in {result.Elapsed.TotalSeconds:0.0} s."
            : $"Stopped at cell {result.FailedCell} of {result.CellCount} after {result.Elapsed.TotalSeconds:0.0} s: {result.Error}";
        report.Html(new HtmlWriter().Element("p", $"{Path.GetFileName(result.NotebookPath)} — {status}", "ll-summary").ToString());

        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (cell.Kind == CellKind.Markdown)
            {
                report.Html("<div class=\"ll-md\">" + Markdown.ToHtml(cell.Source, s_markdown) + "</div>");
                continue;
            }
            if (cell.Kind == CellKind.Raw)
                continue;
            var w = new HtmlWriter();
            w.Open("details", "ll-cell").Element("summary", $"Cell {i + 1} ({cell.Language})" + (cell.ExecutionCount is { } n ? $" [{n}]" : " (not run)"));
            w.Open("pre").Element("code", cell.Source).Close().Close();
            var html = new StringBuilder(w.ToString());
            foreach (var output in cell.Outputs)
                html.Append(Output(output));
            report.Html(html.ToString());
        }
        return report.ToHtml();
    }

    private static string Output(CellOutput output)
    {
        switch (output)
        {
            case DataOutput data:
                // text/html only ever comes from LeakLab's convention formatters, which encode everything from a dump.
                if (data.Data.TryGetValue("text/html", out string? html))
                    return "<div class=\"ll-out\">" + html + "</div>";
                return new HtmlWriter().Open("div", "ll-out").Open("pre").Text(data.Data.GetValueOrDefault("text/plain", "")).Close().Close().ToString();
            case StreamOutput stream:
                return new HtmlWriter().Open("div", $"ll-out ll-out-{(stream.Name == "stderr" ? "stderr" : "stdout")}").Open("pre").Text(stream.Text).Close().Close().ToString();
            case ErrorOutput error:
                return new HtmlWriter().Open("div", "ll-error").Element("strong", error.Name).Open("pre").Text(error.Message).Close().Close().ToString();
            default:
                return "";
        }
    }
}
