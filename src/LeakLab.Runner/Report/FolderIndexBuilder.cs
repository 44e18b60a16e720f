namespace LeakLab.Runner.Report;

/// <summary>The index page of a folder run: one row per notebook linking its report and log, with status and duration.</summary>
internal static class FolderIndexBuilder
{
    private const string Style = "<style>" +
        ".ll-index td,.ll-index th{padding:.25em .8em;text-align:left;border-bottom:1px solid #8883}" +
        ".ll-ok{color:#180}.ll-failed{color:#c33;font-weight:bold}.ll-summary{opacity:.8}" +
        "</style>";

    public static string Build(FolderRunResult result)
    {
        var report = new HtmlReport($"LeakLab notebooks: {Path.GetFileName(result.Folder)}");
        report.Html(Style);
        int failed = result.Failed.Count;
        report.Html(new HtmlWriter().Element("p",
            $"{result.Entries.Count} notebook(s) from {result.Folder}, run on {result.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC in "
            + $"{result.Elapsed.TotalSeconds:0.0} s: {result.Entries.Count - failed} ok, {failed} failed.", "ll-summary").ToString());

        // HtmlWriter refuses href (dump strings must never become links); these links are ours: a file beside the
        // index, its name percent-encoded (so no scheme such as "javascript:" survives) and then HTML-encoded.
        string dir = Path.GetDirectoryName(result.IndexPath)!;
        var html = new System.Text.StringBuilder("<table class=\"ll-index\"><thead><tr><th>notebook</th><th>status</th><th>duration</th><th>log</th></tr></thead><tbody>");
        foreach (var e in result.Entries)
        {
            string name = HtmlWriter.Encode(Path.GetFileName(e.NotebookPath));
            html.Append("<tr><td>").Append(e.ReportPath is null ? name : Link(dir, e.ReportPath, name)).Append("</td>");
            html.Append(new HtmlWriter().Element("td", e.Succeeded ? "ok" : "failed: " + e.Error, e.Succeeded ? "ll-ok" : "ll-failed")
                .Element("td", $"{e.Elapsed.TotalSeconds:0.0} s"));
            html.Append("<td>").Append(Link(dir, e.LogPath, "log")).Append("</td></tr>");
        }
        report.Html(html.Append("</tbody></table>").ToString());
        return report.ToHtml();
    }

    private static string Link(string dir, string file, string encodedText) =>
        $"<a href=\"{HtmlWriter.Encode(Uri.EscapeDataString(Path.GetRelativePath(dir, file)))}\">{encodedText}</a>";
}
