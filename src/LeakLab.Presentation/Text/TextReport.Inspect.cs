using System.Globalization;
using System.Text;

namespace LeakLab.Presentation.Text;

public static partial class TextReport
{
    /// <summary>Findings most serious first, each with cause, evidence lines and fix; then what could not be decided.</summary>
    public static string Inspect(InspectionReport report) => Inspect(report, TextReportOptions.Default);

    /// <summary>As <see cref="Inspect(InspectionReport)"/>, every line wrapped to <see cref="TextReportOptions.MaxWidth"/>.</summary>
    public static string Inspect(InspectionReport report, TextReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var o = new StringBuilder();
        int k = report.Snapshots.Count;
        o.AppendLine(CultureInfo.InvariantCulture, $"LeakLab inspect: {k} snapshot{(k == 1 ? "" : "s")} ({string.Join(", ", report.Snapshots.Select(s => s.Label))}), {Inspector.Inspections.Count} inspections.");
        if (report.Order is { } order)
            o.Append(TextReportOptions.Wrap($"Order: {order}.", options.MaxWidth, "", "  "));
        if (k == 1)
            o.AppendLine("One snapshot shows sizes, not growth: take two or more snapshots of the process a few seconds apart for a firmer answer.");
        o.AppendLine();
        if (report.Findings.Count == 0)
            o.AppendLine("No inspection found a leak.");
        int n = 0;
        foreach (Finding f in report.Findings)
        {
            o.Append(Finding(f, options, $"{++n}. ", $", {f.Inspection}", "   "));
            o.AppendLine();
        }
        if (report.Notes.Count > 0)
        {
            o.AppendLine("Could not decide:");
            foreach (InspectionNote note in report.Notes)
                o.Append(TextReportOptions.Wrap(TextTable.Printable($"{note.Scenario} {note.Inspection}: {note.Text}"), options.MaxWidth, "  ", "  "));
        }
        return o.ToString();
    }

    /// <summary>
    /// One finding: "[S05] title (score 0.95)" (<paramref name="suffix"/> goes inside the parentheses: ", timers"), then cause, evidence and fix one per line under <paramref name="indent"/>,
    /// each wrapped to the width with a hanging indent (evidence holds full type names and paths, which run long).
    /// </summary>
    public static string Finding(Finding f, TextReportOptions options, string prefix = "", string suffix = "", string indent = "  ")
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(options);
        var o = new StringBuilder();
        int width = options.MaxWidth;
        o.Append(TextReportOptions.Wrap(TextTable.Printable($"{prefix}[{f.Scenario}] {f.Title}  (score {f.Score.ToString("0.00", CultureInfo.InvariantCulture)}{suffix})"), width, "", indent));
        o.Append(TextReportOptions.Wrap(TextTable.Printable($"cause: {f.Root.Kind} {f.Root.Name}"), width, indent, "  "));
        foreach (string e in f.Evidence)
            o.Append(TextReportOptions.Wrap(TextTable.Printable($"- {e}"), width, indent, "  "));
        o.Append(TextReportOptions.Wrap(TextTable.Printable($"fix: {f.Fix}"), width, indent, "  "));
        return o.ToString();
    }
}
