using System.Text;

namespace LeakLab.Presentation.Text;

public static partial class TextReport
{
    /// <summary>
    /// Three tables by retained size, the answer first: roots (which named root holds the memory), then types, then the
    /// single objects; and a line on what no root reaches.
    /// </summary>
    public static string Retained(RetainedSummary summary, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        options ??= TextReportOptions.Default;
        var text = new StringBuilder();

        text.Append("Roots by retained size (what would be freed if only this root let go)\n");
        TextTable roots = options.Table(new("Retained", ColumnKind.Bytes), new("%", ColumnKind.Number), new("Objects", ColumnKind.Number),
            new("Kind"), new("Root", ColumnKind.RootName), new("Type", ColumnKind.TypeName));
        foreach (RetainedRoot r in summary.Roots)
            roots.AddRow(r.Retained, Percent(r.Retained, summary.TotalBytes), r.RetainedCount, KindLabel(r.Kind), r.Name, r.Type);
        text.Append(roots.Render()).Append('\n');

        text.Append("Types by retained size (what would be freed if every instance went away)\n");
        TextTable types = options.Table(new("Retained", ColumnKind.Bytes), new("%", ColumnKind.Number), new("Count", ColumnKind.Number),
            new("Bytes", ColumnKind.Bytes), new("Type", ColumnKind.TypeName));
        foreach (TypeStat t in summary.Types)
            types.AddRow(t.Retained, Percent(t.Retained ?? 0, summary.TotalBytes), t.Count, t.Bytes, t.Type);
        text.Append(types.Render()).Append('\n');

        text.Append("Objects by retained size\n");
        TextTable objects = options.Table(new("Retained", ColumnKind.Bytes), new("%", ColumnKind.Number), new("Objects", ColumnKind.Number),
            new("Shallow", ColumnKind.Bytes), new("Address", ColumnKind.Number), new("Type", ColumnKind.TypeName));
        foreach (RetainedObject o in summary.Objects)
            objects.AddRow(o.Retained, Percent(o.Retained, summary.TotalBytes), o.RetainedCount, o.Size, Hex(o.Address), o.Type);
        text.Append(objects.Render()).Append('\n');

        text.Append(options.Wrap($"Heap: {N(summary.TotalObjects)} objects, {options.Bytes(summary.TotalBytes)}; "
            + $"unreachable (no root reaches them; the next GC frees them): {N(summary.UnreachableCount)} objects, {options.Bytes(summary.UnreachableBytes)}"));
        if (summary.UnreachableCount > 0)
            text.Append(options.Wrap("Counts here are reachable objects only; 'stats' counts the unreachable ones too, so its counts can be higher."));
        return text.ToString();
    }
}
