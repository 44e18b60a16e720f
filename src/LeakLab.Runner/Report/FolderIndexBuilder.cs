namespace LeakLab.Runner;

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

        var w = new HtmlWriter();
        w.Open("table", "ll-index").Open("thead").Open("tr");
        foreach (string h in new[] { "notebook", "status", "duration", "log" })
            w.Element("th", h);
        w.Close().Close().Open("tbody");
        foreach (var e in result.Entries)
        {
            string dir = Path.GetDirectoryName(result.IndexPath)!;
            w.Open("tr").Open("td");
            if (e.ReportPath is not null)
                w.Element("a", Path.GetFileName(e.NotebookPath), null, ("href", Uri.EscapeDataString(Path.GetRelativePath(dir, e.ReportPath))));
            else
                w.Text(Path.GetFileName(e.NotebookPath));
            w.Close();
            w.Element("td", e.Succeeded ? "ok" : "failed: " + e.Error, e.Succeeded ? "ll-ok" : "ll-failed");
            w.Element("td", $"{e.Elapsed.TotalSeconds:0.0} s");
            w.Open("td").Element("a", "log", null, ("href", Uri.EscapeDataString(Path.GetRelativePath(dir, e.LogPath)))).Close();
            w.Close();
        }
        w.Close().Close();
        report.Html(w.ToString());
        return report.ToHtml();
    }
}
