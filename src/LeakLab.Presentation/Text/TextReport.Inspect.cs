using System.Globalization;
using System.Text;

namespace LeakLab;

public static partial class TextReport
{
    /// <summary>Findings most serious first, each with cause, evidence lines and fix; then what could not be decided.</summary>
    public static string Inspect(InspectionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = new StringBuilder();
        int k = report.Snapshots.Count;
        o.AppendLine(CultureInfo.InvariantCulture, $"LeakLab inspect: {k} snapshot{(k == 1 ? "" : "s")} ({string.Join(", ", report.Snapshots.Select(s => s.Label))}), {Inspector.Inspections.Count} inspections.");
        if (k == 1)
            o.AppendLine("One snapshot shows sizes, not growth: take two or more snapshots of the process a few seconds apart for a firmer answer.");
        o.AppendLine();
        if (report.Findings.Count == 0)
            o.AppendLine("No inspection found a leak.");
        int n = 0;
        foreach (Finding f in report.Findings)
        {
            o.AppendLine(CultureInfo.InvariantCulture, $"{++n}. [{f.Scenario}] {f.Title}  (score {f.Score.ToString("0.00", CultureInfo.InvariantCulture)}, {f.Inspection})");
            o.AppendLine(CultureInfo.InvariantCulture, $"   cause: {f.Root.Kind} {f.Root.Name}");
            foreach (string e in f.Evidence)
                o.AppendLine(CultureInfo.InvariantCulture, $"   - {e}");
            o.AppendLine(CultureInfo.InvariantCulture, $"   fix: {f.Fix}");
            o.AppendLine();
        }
        if (report.Notes.Count > 0)
        {
            o.AppendLine("Could not decide:");
            foreach (InspectionNote note in report.Notes)
                o.AppendLine(CultureInfo.InvariantCulture, $"  {note.Scenario} {note.Inspection}: {note.Text}");
        }
        return o.ToString();
    }
}
