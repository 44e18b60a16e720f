using System.Globalization;

namespace LeakLab.Presentation.Html;

/// <summary>Findings as an HTML fragment: one block per finding (cause, evidence, fix), then the undecided notes; all text encoded.</summary>
internal static class InspectionHtml
{
    public static string Render(InspectionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return HtmlPresenter.Fragment(w =>
        {
            if (report.Findings.Count == 0)
                w.Element("p", $"No inspection found a leak in {report.Snapshots.Count} snapshot(s).", "ll-note");
            foreach (Finding f in report.Findings)
            {
                w.Element("h4", $"[{f.Scenario}] {f.Title} (score {f.Score.ToString("0.00", CultureInfo.InvariantCulture)})");
                w.Element("p", $"cause: {f.Root.Kind} {f.Root.Name}");
                w.Open("ul");
                foreach (string e in f.Evidence)
                    w.Element("li", e);
                w.Close();
                w.Element("p", $"fix: {f.Fix}", "ll-note");
            }
            if (report.Notes.Count > 0)
            {
                w.Element("h4", "Could not decide");
                w.Open("ul");
                foreach (InspectionNote note in report.Notes)
                    w.Element("li", $"{note.Scenario} {note.Inspection}: {note.Text}");
                w.Close();
            }
        });
    }
}
