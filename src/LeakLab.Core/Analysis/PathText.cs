using System.Globalization;
using System.Text;

namespace LeakLab.Core.Analysis;

/// <summary>
/// The one-line form of a retention path, for every host (CLI tables, notebook text, DataFrames, JSON "shape",
/// inspection evidence): steps joined by " → ", each step ".field Type" ("[] Type" for an array element), a collapsed
/// run (a linked list) as "Type ×1,480".
/// </summary>
internal static class PathText
{
    /// <summary>The separator between steps.</summary>
    public const string Arrow = " → ";

    /// <summary>
    /// The steps of a path on one line, root not included: ".Entries Dictionary&lt;Int64, CachedOrder&gt; → ._entries …".
    /// <paramref name="typeName"/> and <paramref name="field"/> map the names as a host shows them (default: as stored).
    /// </summary>
    public static string Steps(IReadOnlyList<PathStep> steps, Func<string, string>? typeName = null, Func<string, string>? field = null)
    {
        var text = new StringBuilder();
        for (int i = 0; i < steps.Count; i++)
        {
            if (i > 0)
                text.Append(Arrow);
            AppendStep(text, steps[i], typeName, field);
        }
        return text.ToString();
    }

    /// <summary>"static OrderCache.Entries → Dictionary&lt;…&gt; → ._entries …": a root label, then the steps.</summary>
    public static string WithRoot(string rootLabel, IReadOnlyList<PathStep> steps, Func<string, string>? typeName = null,
        Func<string, string>? field = null)
    {
        var text = new StringBuilder(rootLabel);
        foreach (PathStep step in steps)
            AppendStep(text.Append(Arrow), step, typeName, field);
        return text.ToString();
    }

    /// <summary>How a collapsed run's length reads: "×1,480".</summary>
    public static string Repeat(int count) => "×" + count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>How the field that reaches a step reads: ".name", "[]" for an array element, "(…)" labels as they are.</summary>
    public static string FieldLabel(string? field) => field switch
    {
        null => "",
        "[]" => "[]",
        _ when field.StartsWith('(') => field,
        _ => "." + field,
    };

    private static void AppendStep(StringBuilder text, PathStep step, Func<string, string>? typeName, Func<string, string>? field)
    {
        if (step.Field is not null)
        {
            string label = FieldLabel(step.Field);
            text.Append(field is null ? label : field(label)).Append(' ');
        }
        text.Append(typeName is null ? step.Type : typeName(step.Type));
        if (step.Repeat > 1)
            text.Append(' ').Append(Repeat(step.Repeat));
    }
}
