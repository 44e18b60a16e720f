using System.Text;

namespace LeakLab.Presentation.Text;

public static partial class TextReport
{
    private const int MaxSelectedTypes = 10;

    /// <summary>
    /// The lines above paths to a type pattern: the type it named (or the types it matched, with objects each) and,
    /// where they differ, how many objects are garbage that <c>stats</c> counts but no path reaches.
    /// </summary>
    public static string TypeSelection(TypeSelection selection, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selection);
        options ??= TextReportOptions.Default;
        var text = new StringBuilder();
        if (selection.Types.Count == 1)
        {
            TypeSelection.Match m = selection.Types[0];
            text.Append(options.Wrap($"Type {options.TypeName(m.Type)}: {ObjectsOf(m)}"));
        }
        else
        {
            text.Append(options.Wrap($"'{TextTable.Printable(selection.Pattern.Text)}' is part of {N(selection.Types.Count)} type names; paths below lead to all of them (pass a full name to pick one):"));
            TextTable table = options.Table(new("Objects", ColumnKind.Number), new("Reachable", ColumnKind.Number), new("Type", ColumnKind.TypeName));
            foreach (TypeSelection.Match m in selection.Types.Take(MaxSelectedTypes))
                table.AddRow(m.Objects, m.Reachable, m.Type);
            text.Append(table.Render());
            if (selection.Types.Count > MaxSelectedTypes)
                text.Append($"... {N(selection.Types.Count - MaxSelectedTypes)} more types\n");
        }
        long garbage = selection.Types.Sum(m => m.Objects - (m.Reachable ?? m.Objects));
        if (garbage > 0)
            text.Append(options.Wrap($"{N(garbage)} of these objects {(garbage == 1 ? "is" : "are")} unreachable (garbage the next GC frees): 'stats' counts them, paths, retained and diff do not."));
        text.Append('\n');
        return text.ToString();
    }

    private static string ObjectsOf(TypeSelection.Match m) =>
        m.Reachable is not long reachable ? Quantity.Of(m.Objects, "object")
        : m.Objects == reachable ? Quantity.Of(m.Objects, "object") + (m.Objects == 1 ? ", reachable from a root" : ", all reachable from a root")
        : $"{Quantity.Of(m.Objects, "object")}, {N(reachable)} reachable from a root";
}
