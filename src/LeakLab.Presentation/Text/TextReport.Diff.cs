using System.Globalization;
using System.Text;

namespace LeakLab.Presentation.Text;

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
        AppendSuspect(text, comparison, "  ", options);
        text.Append('\n');

        TypeTrend[] types = SuspectsFirst(comparison.Types, t => t.Growing, t => t.Score);
        text.Append("Types (suspects first)\n");
        // A type grows by its count, bytes or retained bytes: the three deltas always show, so no "yes" row reads flat;
        // a narrow table drops the last retained size, then the per-snapshot counts (ΔCount sums them up).
        TextTable typeTable = options.Table(new("Growing"), new("Score", ColumnKind.Number), new("Count per snapshot", ColumnKind.Number, Optional: true),
            new("ΔCount", ColumnKind.Delta), new("ΔBytes", ColumnKind.BytesDelta), new("ΔRetained", ColumnKind.BytesDelta),
            new("Retained", ColumnKind.Bytes, Optional: true), new("Type", ColumnKind.TypeName));
        foreach (TypeTrend t in types.Take(top))
            typeTable.AddRow(t.Growing ? "yes" : "", t.Score, Series(t.Counts), Delta(t.Counts), Delta(t.Bytes), Delta(t.Retained), Last(t.Retained), t.Type);
        text.Append(typeTable.Render());
        AppendMore(text, Math.Min(top, types.Length), types.Length, "types");
        text.Append('\n');

        RootTrend[] roots = SuspectsFirst(comparison.Roots, r => r.Growing, r => r.Score);
        text.Append("Roots (suspects first)\n");
        // "Objects retained", not "... per snapshot" (the arrows say so): a longer header cut the root names at 80 columns.
        TextTable rootTable = options.Table(new("Growing"), new("Score", ColumnKind.Number), new("Objects retained", ColumnKind.Number),
            new("ΔRetained", ColumnKind.BytesDelta), new("Retained", ColumnKind.Bytes, Optional: true), new("Root", ColumnKind.RootName));
        foreach (RootTrend r in roots.Take(top))
            rootTable.AddRow(r.Growing ? "yes" : "", r.Score, Series(r.Counts), Delta(r.Retained), Last(r.Retained), RootLabel(r.Kind, r.Name));
        text.Append(rootTable.Render());
        AppendMore(text, Math.Min(top, roots.Length), roots.Length, "roots");
        text.Append('\n');

        PathTrend[] paths = SuspectsFirst(comparison.Paths, p => p.Growing, p => p.Score);
        text.Append("Retention path shapes (suspects first)\n");
        TextTable pathTable = options.Table(new("Growing"), new("Score", ColumnKind.Number), new("Objects per snapshot", ColumnKind.Number),
            new("ΔBytes", ColumnKind.BytesDelta, Optional: true), new("Path", ColumnKind.Path));
        foreach (PathTrend p in paths.Take(top))
            pathTable.AddRow(p.Growing ? "yes" : "", p.Score, Series(p.Counts), Delta(p.Bytes), PathLabel(p.RootKind, p.RootName, p.Steps, options));
        text.Append(pathTable.Render());
        AppendMore(text, Math.Min(top, paths.Length), paths.Length, "path shapes");
        text.Append('\n');

        AppendTypeList(text, "New types (absent from the first snapshot, present in the last)", comparison.NewTypes, top, options);
        AppendTypeList(text, "Gone types (present in the first snapshot, absent from the last)", comparison.GoneTypes, top, options);
        text.Append($"Common types: {N(comparison.CommonTypeCount)}\n");
        return text.ToString();
    }

    /// <summary>
    /// The comparison's top suspect in a few lines: the type, its reason, the root that grows with it and the path shape
    /// that holds it; or a line saying nothing grows.
    /// </summary>
    public static string Suspect(SnapshotComparison comparison, TextReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var text = new StringBuilder();
        AppendSuspect(text, comparison, "  ", options ?? TextReportOptions.Default);
        return text.ToString();
    }

    private static void AppendSuspect(StringBuilder text, SnapshotComparison comparison, string indent, TextReportOptions options)
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
            AppendWrapped(text, indent, $"type  {options.TypeName(type.Type)}  (growing, score {type.Score.ToString("0.00", CultureInfo.InvariantCulture)}): "
                + Series(type.Counts) + " objects", options.MaxWidth, hanging: "      ");
            AppendWrapped(text, indent + "      ", type.Reason, options.MaxWidth);
        }
        if (root is not null)
        {
            AppendWrapped(text, indent, $"root  {options.RootName(RootLabel(root.Kind, root.Name))}  (growing, score {root.Score.ToString("0.00", CultureInfo.InvariantCulture)}): "
                + Series(root.Counts) + " objects retained", options.MaxWidth, hanging: "      ");
            AppendWrapped(text, indent + "      ", root.Reason, options.MaxWidth);
        }
        if (path is not null)
        {
            AppendWrapped(text, indent, $"path  ({Series(path.Counts)} objects; {path.Reason})", options.MaxWidth, hanging: "      ");
            AppendChain(text, path.RootKind, path.RootName, path.Steps, indent + "      ", options);
        }
    }

    private static void AppendTypeList(StringBuilder text, string title, IReadOnlyList<string> types, int top, TextReportOptions options)
    {
        text.Append($"{title}: {N(types.Count)}\n");
        foreach (string t in types.Take(top))
            text.Append("  ").Append(options.TypeName(t)).Append('\n');
        AppendMore(text, Math.Min(top, types.Count), types.Count, "types");
    }

    private static void AppendWrapped(StringBuilder text, string indent, string line, int width, string hanging = "") =>
        text.Append(TextReportOptions.Wrap(line, width, indent, hanging));

    private static T[] SuspectsFirst<T>(IReadOnlyList<T> rows, Func<T, bool> growing, Func<T, double> score) =>
        // Stable: equal rows keep the comparison's own order.
        rows.OrderByDescending(growing).ThenByDescending(score).ToArray();

    private static string Series(long[] values) => string.Join(" → ", values.Select(v => N(v)));

    private static long Delta(long[] values) => values.Length == 0 ? 0 : values[^1] - values[0];

    private static long Last(long[] values) => values.Length == 0 ? 0 : values[^1];
}
