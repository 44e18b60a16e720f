using System.Text;

namespace LeakLab.Presentation.Text;

public static partial class TextReport
{
    private const int MaxIndent = 24;

    /// <summary>
    /// Retention paths drawn as chains, one line per step, indented; each line names the object's type and the field
    /// that leads to the next step. A collapsed run (a linked list) shows as one step with "×N".
    /// </summary>
    /// <example>
    /// <code>
    /// Path 1 of 1: 3,000 objects (e.g. 0x7f3a10a2c8)
    ///   root: static LeakLab.Sample.OrderCache.Entries
    ///     Dictionary&lt;String, Byte[]&gt;  ._entries
    ///       Dictionary&lt;String, Byte[]&gt;+Entry[]  []
    ///         Byte[]
    /// </code>
    /// </example>
    public static string Paths(IReadOnlyList<RetentionPath> paths, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= TextReportOptions.Default;
        if (paths.Count == 0)
            return "No retention path: no root reaches the objects asked for.\n";
        var text = new StringBuilder();
        int attributed = paths.Count(p => !p.IsFurther);
        long total = paths.Where(p => !p.IsFurther).Sum(p => (long)p.Count);
        for (int i = 0; i < paths.Count; i++)
        {
            RetentionPath path = paths[i];
            if (i > 0)
                text.Append('\n');
            var header = new StringBuilder();
            if (path.IsFurther)
            {
                // Not a share: these objects are counted above, under the lasting root that owns them. Shown even when
                // the frame is a runtime thread left over from a tool (CounterGroup.PollForValues after an EventCounters
                // session): a dump cannot tell a leftover frame from a loop that runs forever, and a frame that still
                // reaches the objects once the lasting root lets go is exactly what a fix must know about. It stays
                // after the attributed paths, so it never reads as the answer.
                header.Append($"Further path: {N(path.Count)} of these objects {(path.Count == 1 ? "is" : "are")} also reached from a short-lived root (counted above under a lasting root)");
            }
            else
            {
                header.Append($"Path {i + 1} of {attributed}: {Quantity.Of(path.Count, "object")}");
                if (attributed > 1)
                    header.Append($" ({Percent(path.Count, total)})");
            }
            header.Append($" (e.g. {Hex(path.ExampleAddress)})");
            // Wrapped lines hang four deep, past the chain's "  root:" below, so they never read as part of the chain.
            text.Append(TextReportOptions.Wrap(header.ToString(), options.MaxWidth, "", "    "));
            AppendChain(text, path.RootKind, path.RootName, path.Steps, "  ", options);
        }
        return text.ToString();
    }

    /// <summary>Draws one chain: "root: ..." then one indented line per step.</summary>
    internal static void AppendChain(StringBuilder text, RootKind kind, string rootName, IReadOnlyList<PathStep> steps, string indent,
        TextReportOptions options)
    {
        // A line too long for the width (a long generic name deep in a chain) wraps with its continuation indented
        // deeper than the next step, so the chain's shape still reads.
        text.Append(TextReportOptions.Wrap("root: " + options.RootName(RootLabel(kind, rootName)), options.MaxWidth, indent, "      "));
        for (int i = 0; i < steps.Count; i++)
        {
            PathStep step = steps[i];
            var line = new StringBuilder(options.TypeName(step.Type));
            if (step.Repeat > 1)
                line.Append("  ").Append(PathText.Repeat(step.Repeat)).Append(step.Field is null ? "" : " (via " + FieldLabel(step.Field) + ")");
            if (i + 1 < steps.Count)
                line.Append("  ").Append(TextTable.Printable(FieldLabel(steps[i + 1].Field)));
            string stepIndent = indent + new string(' ', Math.Min(2 * (i + 1), MaxIndent));
            text.Append(line.Length + stepIndent.Length <= options.MaxWidth
                ? stepIndent + line + "\n"
                : TextReportOptions.Wrap(line.ToString(), options.MaxWidth, stepIndent, "    "));
        }
    }

    /// <summary>A path on one line, "static OrderCache.Entries → Dictionary&lt;Int64, CachedOrder&gt; → ._entries …" (<see cref="PathText"/>),
    /// names as the options show them.</summary>
    internal static string PathLabel(RootKind kind, string rootName, IReadOnlyList<PathStep> steps, TextReportOptions options) =>
        PathText.WithRoot(options.RootName(RootLabel(kind, rootName)), steps, options.TypeName, TextTable.Printable);

    private static string FieldLabel(string? field) => PathText.FieldLabel(field);
}
