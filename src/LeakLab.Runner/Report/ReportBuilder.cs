using System.Text;
using System.Text.Json;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;

namespace LeakLab.Runner.Report;

/// <summary>
/// Builds the single self-contained HTML report of a run with <see cref="HtmlReport"/>: markdown cells rendered
/// (raw HTML in markdown disabled, so it stays inert), every code cell's source collapsed, the kernel's outputs
/// shown as a notebook front end shows them (text/html as is, else markdown, else plain text, encoded).
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

    public static string Build(string title, IList<InteractiveDocumentElement> cells, NotebookRunResult result)
    {
        var report = new HtmlReport(title);
        report.Html(Style);
        string status = result.End switch
        {
            RunEnd.Completed => $"Ran {result.CellsRun} code cells of {result.CellCount} cells in {result.Elapsed.TotalSeconds:0.0} s.",
            RunEnd.Cancelled => $"Cancelled at cell {result.StoppedAt} of {result.CellCount} after {result.Elapsed.TotalSeconds:0.0} s.",
            _ => $"Stopped at cell {result.StoppedAt} of {result.CellCount} after {result.Elapsed.TotalSeconds:0.0} s: {result.Error}",
        };
        report.Html(new HtmlWriter().Element("p", $"{Path.GetFileName(result.NotebookPath)} — {status}", "ll-summary").ToString());
        // Who ran what, when, against which process: a report mailed or attached to a ticket must say so itself.
        report.Html(new HtmlWriter().Element("p",
            $"Run on {result.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC on {Environment.MachineName}; target: "
            + (result.Targets.Count == 0 ? "none recorded" : string.Join(", ", result.Targets)), "ll-summary ll-run").ToString());

        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (cell.KernelName == NotebookKernel.Markdown)
            {
                report.Html("<div class=\"ll-md\">" + Markdown.ToHtml(cell.Contents, s_markdown) + "</div>");
                continue;
            }
            var w = new HtmlWriter();
            w.Open("details", "ll-cell").Element("summary", $"Cell {i + 1} ({cell.KernelName})" + (cell.ExecutionOrder > 0 ? $" [{cell.ExecutionOrder}]" : " (not run)"));
            w.Open("pre").Element("code", cell.Contents).Close().Close();
            var html = new StringBuilder(w.ToString());
            foreach (var output in cell.Outputs)
                html.Append(Output(output));
            report.Html(html.ToString());
        }
        return report.ToHtml();
    }

    private static string Output(InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case DisplayElement display:
                return Data(display.Data);
            case ReturnValueElement result:
                return Data(result.Data);
            case TextElement stream:
                return new HtmlWriter().Open("div", $"ll-out ll-out-{(stream.Name == "stderr" ? "stderr" : "stdout")}").Open("pre").Text(stream.Text).Close().Close().ToString();
            case ErrorElement error:
                return new HtmlWriter().Open("div", "ll-error").Element("strong", error.ErrorName).Open("pre").Text(error.ErrorValue).Close().Close().ToString();
            default:
                return "";
        }
    }

    private static string Data(IDictionary<string, object> data)
    {
        // text/html is what a notebook front end renders as is: the kernel's formatters and LeakLab's encode every
        // value they show.
        if (Text(data, "text/html") is { } html)
            return "<div class=\"ll-out\">" + html + "</div>";
        if (Text(data, "text/markdown") is { } markdown)
            return "<div class=\"ll-out\">" + Markdown.ToHtml(markdown, s_markdown) + "</div>";
        string text = Text(data, "text/plain") ?? $"(output as {string.Join(", ", data.Keys)})";
        return new HtmlWriter().Open("div", "ll-out").Open("pre").Text(text).Close().Close().ToString();
    }

    private static string? Text(IDictionary<string, object> data, string mime) => data.TryGetValue(mime, out object? value) ? value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
        JsonElement j => j.GetRawText(),
        null => null,
        var other => other.ToString(),
    } : null;
}
