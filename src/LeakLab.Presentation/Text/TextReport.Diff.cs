using System.Globalization;
using System.Text;

namespace LeakLab;

public static partial class TextReport
{
    /// <summary>
    /// A comparison of snapshots: the snapshots, the top suspect, then types, roots and path shapes as tables with the
    /// suspects (growing, highest score) first, then the new and gone types. At most <paramref name="top"/> rows per table.
    /// </summary>
    public static string Diff(SnapshotComparison comparison, int top = 20, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        options ??= TextReportOptions.Default;
        var text = new StringBuilder();
        IReadOnlyList<SnapshotInfo> snapshots = comparison.Snapshots;

        text.Append("Snapshots (oldest first):\n");
        for (int i = 0; i < snapshots.Count; i++)
        {
            SnapshotInfo s = snapshots[i];
            text.Append($"  #{i + 1}  {s.Label}");
            if (s.CapturedAt is { } at)
                text.Append("  ").Append(at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC");
            text.Append('\n');
        }
        if (comparison.Order is { } order)
            text.Append("  (").Append(order).Append(")\n");
        text.Append('\n');
        AppendSuspect(text, comparison, "  ");
        text.Append('\n');

        TypeTrend[] types = SuspectsFirst(comparison.Types, t => t.Growing, t => t.Score);
        text.Append("Types (suspects first)\n");
        TextTable typeTable = options.Table(new("Growing"), new("Score", ColumnKind.Number), new("Count per snapshot", ColumnKind.Number),
            new("ΔCount", ColumnKind.Delta), new("ΔBytes", ColumnKind.BytesDelta), new("Retained", ColumnKind.Bytes), new("Type"));
        foreach (TypeTrend t in types.Take(top))
            typeTable.AddRow(t.Growing ? "yes" : "", t.Score, Series(t.Counts), Delta(t.Counts), Delta(t.Bytes), Last(t.Retained), t.Type);
        text.Append(typeTable.Render());
        AppendMore(text, Math.Min(top, types.Length), types.Length, "types");
        text.Append('\n');

        RootTrend[] roots = SuspectsFirst(comparison.Roots, r => r.Growing, r => r.Score);
        text.Append("Roots (suspects first)\n");
        TextTable rootTable = options.Table(new("Growing"), new("Score", ColumnKind.Number), new("Retained objects per snapshot", ColumnKind.Number),
            new("ΔRetained", ColumnKind.BytesDelta), new("Retained", ColumnKind.Bytes), new("Root"));
        foreach (RootTrend r in roots.Take(top))
            rootTable.AddRow(r.Growing ? "yes" : "", r.Score, Series(r.Counts), Delta(r.Retained), Last(r.Retained), RootLabel(r.Kind, r.Name));
        text.Append(rootTable.Render());
        AppendMore(text, Math.Min(top, roots.Length), roots.Length, "roots");
        text.Append('\n');

        PathTrend[] paths = SuspectsFirst(comparison.Paths, p => p.Growing, p => p.Score);
        text.Append("Retention path shapes (suspects first)\n");
        TextTable pathTable = options.Table(new("Growing"), new("Score", ColumnKind.Number), new("Objects per snapshot", ColumnKind.Number),
            new("ΔBytes", ColumnKind.BytesDelta), new("Path"));
        foreach (PathTrend p in paths.Take(top))
            pathTable.AddRow(p.Growing ? "yes" : "", p.Score, Series(p.Counts), Delta(p.Bytes), RootLabel(p.RootKind, p.RootName) + " -> " + p.Shape);
        text.Append(pathTable.Render());
        AppendMore(text, Math.Min(top, paths.Length), paths.Length, "path shapes");
        text.Append('\n');

        AppendTypeList(text, "New types (absent from the first snapshot, present in the last)", comparison.NewTypes, top);
        AppendTypeList(text, "Gone types (present in the first snapshot, absent from the last)", comparison.GoneTypes, top);
        text.Append($"Common types: {N(comparison.CommonTypeCount)}\n");
        return text.ToString();
    }

    /// <summary>
    /// The comparison's top suspect in a few lines: the type, its reason, the root that grows with it and the path shape
    /// that holds it; or a line saying nothing grows.
    /// </summary>
    public static string Suspect(SnapshotComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var text = new StringBuilder();
        AppendSuspect(text, comparison, "  ");
        return text.ToString();
    }

    private static void AppendSuspect(StringBuilder text, SnapshotComparison comparison, string indent)
    {
        TypeTrend? type = SuspectsFirst(comparison.Types, t => t.Growing, t => t.Score).FirstOrDefault(t => t.Growing);
        RootTrend? root = SuspectsFirst(comparison.Roots, r => r.Growing, r => r.Score).FirstOrDefault(r => r.Growing);
        PathTrend? path = SuspectsFirst(comparison.Paths, p => p.Growing, p => p.Score).FirstOrDefault(p => p.Growing);
        if (type is null && root is null && path is null)
        {
            text.Append("No suspect: nothing grows steadily across these snapshots.\n");
            return;
        }
        text.Append("Top suspect:\n");
        if (type is not null)
        {
            text.Append($"{indent}type  {type.Type}  (growing, score {type.Score.ToString("0.00", CultureInfo.InvariantCulture)}): ")
                .Append(Series(type.Counts)).Append(" objects\n");
            text.Append(indent).Append("      ").Append(type.Reason).Append('\n');
        }
        if (root is not null)
        {
            text.Append($"{indent}root  {RootLabel(root.Kind, root.Name)}  (growing, score {root.Score.ToString("0.00", CultureInfo.InvariantCulture)}): ")
                .Append(Series(root.Counts)).Append(" objects retained\n");
            text.Append(indent).Append("      ").Append(root.Reason).Append('\n');
        }
        if (path is not null)
        {
            text.Append($"{indent}path  ({Series(path.Counts)} objects; {path.Reason})\n");
            AppendChain(text, path.RootKind, path.RootName, path.Steps, indent + "      ");
        }
    }

    private static void AppendTypeList(StringBuilder text, string title, IReadOnlyList<string> types, int top)
    {
        text.Append($"{title}: {N(types.Count)}\n");
        foreach (string t in types.Take(top))
            text.Append("  ").Append(t).Append('\n');
        AppendMore(text, Math.Min(top, types.Count), types.Count, "types");
    }

    private static T[] SuspectsFirst<T>(IReadOnlyList<T> rows, Func<T, bool> growing, Func<T, double> score) =>
        // Stable: equal rows keep the comparison's own order.
        rows.OrderByDescending(growing).ThenByDescending(score).ToArray();

    private static string Series(long[] values) => string.Join(" → ", values.Select(v => N(v)));

    private static long Delta(long[] values) => values.Length == 0 ? 0 : values[^1] - values[0];

    private static long Last(long[] values) => values.Length == 0 ? 0 : values[^1];
}
