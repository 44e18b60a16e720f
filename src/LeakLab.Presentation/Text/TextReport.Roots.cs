using System.Text;

namespace LeakLab.Presentation.Text;

public static partial class TextReport
{
    /// <summary>Roots as a table: kind, name, the type of the object held, its address; then a count per kind.</summary>
    public static string Roots(HeapGraph graph, IEnumerable<HeapRoot> roots, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(roots);
        options ??= TextReportOptions.Default;
        HeapRoot[] list = roots.ToArray();
        TextTable table = options.Table(new("Kind"), new("Name", ColumnKind.RootName), new("Type", ColumnKind.TypeName), new("Address", ColumnKind.Number));
        foreach (HeapRoot root in list)
            table.AddRow(KindLabel(root.Kind), root.Name, graph.NodeTypeName(root.Node), Hex(graph.Address(root.Node)));
        var text = new StringBuilder(table.Render());
        var total = new StringBuilder($"Total: {N(list.Length)} roots");
        var byKind = list.GroupBy(r => r.Kind).OrderByDescending(g => g.Count()).Select(g => $"{KindLabel(g.Key)} {N(g.Count())}");
        if (list.Length > 0)
            total.Append(" (").AppendJoin(", ", byKind).Append(')');
        text.Append(options.Wrap(total.ToString()));
        return text.ToString();
    }
}
