using System.Globalization;

namespace LeakLab.Presentation.Html;

/// <summary>
/// Renders analysis results as self-contained HTML fragments (scoped CSS plus a tiny script per table) for notebook
/// outputs and reports. Every string that comes from a heap is encoded.
/// </summary>
/// <remarks>
/// Each fragment carries its own style element, because each notebook output is rendered on its own;
/// <see cref="HtmlReport"/> strips those and writes the CSS once per page.
/// </remarks>
public static class HtmlPresenter
{
    /// <summary>Tables stop at this many rows (with a note saying so), to keep outputs small enough for a notebook.</summary>
    public const int DefaultMaxRows = 5000;

    /// <summary>Per-type statistics: type, count, bytes and, when computed, retained bytes.</summary>
    public static string TypeStats(IReadOnlyList<TypeStat> stats, int maxRows = DefaultMaxRows)
    {
        ArgumentNullException.ThrowIfNull(stats);
        bool retained = stats.Any(s => s.Retained is not null);
        var columns = new List<HtmlColumn> { new("Type"), new("Count", true), new("Bytes", true) };
        if (retained)
            columns.Add(new("Retained bytes", true));
        var rows = stats.Take(maxRows).Select(s => retained
            ? new[] { HtmlCell.Type(s.Type), HtmlCell.Number(s.Count), HtmlCell.Number(s.Bytes), HtmlCell.Number(s.Retained) }
            : new[] { HtmlCell.Type(s.Type), HtmlCell.Number(s.Count), HtmlCell.Number(s.Bytes) }).ToList();
        string caption = $"{stats.Count:N0} types, {stats.Sum(s => s.Count):N0} objects, {ByteSize.Format(stats.Sum(s => s.Bytes))}";
        return Fragment(w => HtmlTable.Write(w, columns, rows, stats.Count, caption));
    }

    /// <summary>Retention paths, one card per shape: the root badge and name, then each step, collapsed runs shown as ×N.</summary>
    public static string Paths(IReadOnlyList<RetentionPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Fragment(w =>
        {
            if (paths.Count == 0)
            {
                w.Element("p", "No retention paths: no root reaches these objects (or no object matched).", "ll-note");
                return;
            }
            long total = paths.Where(p => !p.IsFurther).Sum(p => (long)p.Count);
            w.Element("div", $"{paths.Count(p => !p.IsFurther):N0} path shape(s) covering {total:N0} object(s)", "ll-caption");
            foreach (var path in paths)
            {
                // A further shape counts objects already counted under a lasting root: say so, never add them up.
                string count = path.IsFurther
                    ? $"also reached from a short-lived root: {path.Count:N0} object(s) counted above"
                    : $"{path.Count:N0} object(s)";
                WritePath(w, path.RootKind, path.RootName, path.Steps, count, $"e.g. 0x{path.ExampleAddress:x}");
            }
        });
    }

    /// <summary>The graph's roots: kind, name, the type and address of the rooted object and, with dominators, what each retains.</summary>
    public static string Roots(HeapGraph graph, DominatorTree? dominators = null, int maxRows = DefaultMaxRows)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var columns = new List<HtmlColumn> { new("Kind"), new("Root"), new("Type"), new("Address") };
        if (dominators is not null)
        {
            columns.Add(new("Retained bytes", true));
            columns.Add(new("Retained objects", true));
        }
        var order = Enumerable.Range(0, graph.Roots.Count);
        (long Bytes, long Count)[]? retained = dominators is null ? null
            : [.. Enumerable.Range(0, graph.Roots.Count).Select(r => dominators.RetainedByRoot((RootId)r))];
        if (retained is not null)
            order = order.OrderByDescending(i => retained[i].Bytes);
        var rows = order.Take(maxRows).Select(i =>
        {
            HeapRoot r = graph.Roots[i];
            var cells = new List<HtmlCell>
            {
                new(KindLabel(r.Kind), null, "ll-badge " + KindClass(r.Kind)),
                new(r.Name),
                HtmlCell.Type(graph.NodeTypeName(r.Node)),
                HtmlCell.Address(graph.Address(r.Node)),
            };
            if (retained is not null)
            {
                cells.Add(HtmlCell.Number(retained[i].Bytes));
                cells.Add(HtmlCell.Number(retained[i].Count));
            }
            return cells.ToArray();
        }).ToList();
        return Fragment(w => HtmlTable.Write(w, columns, rows, graph.Roots.Count, $"{graph.Roots.Count:N0} roots in {graph.Info.Label}"));
    }

    /// <summary>The objects that retain the most memory, with what dominates each.</summary>
    public static string Retained(DominatorTree tree, int top = 50)
    {
        ArgumentNullException.ThrowIfNull(tree);
        HeapGraph g = tree.Graph;
        var columns = new HtmlColumn[]
        {
            new("#", true), new("Type"), new("Address"), new("Size", true), new("Retained bytes", true),
            new("Retained objects", true), new("Immediate dominator"),
        };
        var nodes = tree.TopObjects(top);
        var rows = nodes.Select((n, i) =>
        {
            int idom = tree.ImmediateDominator(n);
            string dom = idom >= 0 ? $"{g.NodeTypeName((NodeId)idom)} 0x{g.Address((NodeId)idom):x}" : "(a root)";
            return new[]
            {
                HtmlCell.Number(i + 1), HtmlCell.Type(g.NodeTypeName(n)), HtmlCell.Address(g.Address(n)), HtmlCell.Number(g.Size(n)),
                HtmlCell.Number(tree.RetainedSize(n)), HtmlCell.Number(tree.RetainedCount(n)), new HtmlCell(dom, null, "ll-type"),
            };
        }).ToList();
        string caption = $"Top {rows.Count:N0} objects by retained size in {g.Info.Label}";
        return Fragment(w =>
        {
            HtmlTable.Write(w, columns, rows, rows.Count, caption);
            if (tree.UnreachableCount > 0)
                w.Element("div", $"Unreachable (garbage not yet collected): {tree.UnreachableCount:N0} objects, {ByteSize.Format(tree.UnreachableBytes)}.", "ll-note");
        });
    }

    /// <summary>Snapshots compared: types (growing ones marked ▲ suspect), roots, path shapes, new and gone types.</summary>
    public static string Comparison(SnapshotComparison comparison, int top = 50)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var snaps = comparison.Snapshots;
        int last = snaps.Count - 1;
        return Fragment(w =>
        {
            w.Open("div", "ll-caption").Text($"{snaps.Count} snapshots: ");
            for (int i = 0; i < snaps.Count; i++)
            {
                if (i > 0)
                    w.Text(" \u2192 ");
                w.Element("span", SnapshotLabel(snaps, i), "ll-mono");
            }
            w.Close();

            var types = comparison.Types;
            var typeColumns = new HtmlColumn[]
            {
                new("Status"), new("Type"), new("Count (first)", true), new("Count (last)", true), new("\u0394 count", true),
                new("Bytes (first)", true), new("Bytes (last)", true), new("\u0394 bytes", true), new("Retained (last)", true),
                new("Counts"), new("Reason"),
            };
            var typeRows = types.Take(top).Select(t => new[]
            {
                Status(t.Growing), HtmlCell.Type(t.Type), HtmlCell.Number(At(t.Counts, 0)), HtmlCell.Number(At(t.Counts, last)),
                HtmlCell.Signed(At(t.Counts, last) - At(t.Counts, 0)), HtmlCell.Number(At(t.Bytes, 0)), HtmlCell.Number(At(t.Bytes, last)),
                HtmlCell.Signed(At(t.Bytes, last) - At(t.Bytes, 0)), HtmlCell.Number(At(t.Retained, last)),
                new HtmlCell(Sequence(t.Counts), null, "ll-mono ll-seq"), new HtmlCell(t.Reason, null, "ll-muted ll-reason"),
            }).ToList();
            int suspects = types.Count(t => t.Growing);
            HtmlTable.Write(w, typeColumns, typeRows, types.Count, $"Types: {suspects:N0} suspect(s) of {types.Count:N0}");

            var roots = comparison.Roots;
            if (roots.Count > 0)
            {
                var rootColumns = new HtmlColumn[]
                {
                    new("Status"), new("Kind"), new("Root"), new("Objects (first)", true), new("Objects (last)", true), new("\u0394 objects", true),
                    new("Retained (last)", true), new("\u0394 retained", true), new("Reason"),
                };
                var rootRows = roots.Take(top).Select(r => new[]
                {
                    Status(r.Growing), new HtmlCell(KindLabel(r.Kind), null, "ll-badge " + KindClass(r.Kind)), new HtmlCell(r.Name),
                    HtmlCell.Number(At(r.Counts, 0)), HtmlCell.Number(At(r.Counts, last)), HtmlCell.Signed(At(r.Counts, last) - At(r.Counts, 0)),
                    HtmlCell.Number(At(r.Retained, last)), HtmlCell.Signed(At(r.Retained, last) - At(r.Retained, 0)), new HtmlCell(r.Reason, null, "ll-muted ll-reason"),
                }).ToList();
                HtmlTable.Write(w, rootColumns, rootRows, roots.Count, "Roots");
            }

            var paths = comparison.Paths.Where(p => p.Growing).Take(Math.Min(top, 20)).ToList();
            if (paths.Count > 0)
            {
                w.Element("div", "Growing retention paths", "ll-caption");
                foreach (var p in paths)
                    WritePath(w, p.RootKind, p.RootName, p.Steps, $"\u25B2 {Sequence(p.Counts)} object(s)", p.Reason);
            }
            WriteTypeList(w, "New types (absent from the first snapshot)", comparison.NewTypes);
            WriteTypeList(w, "Gone types (absent from the last snapshot)", comparison.GoneTypes);
        });
    }

    /// <summary>A generic sortable table, for SQL results and user data. Numbers are right-aligned and sort numerically.</summary>
    public static string Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, int maxRows = DefaultMaxRows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var cells = new List<HtmlCell[]>();
        var numeric = new bool[columns.Count];
        var seen = new bool[columns.Count];
        int total = 0;
        foreach (var row in rows)
        {
            total++;
            if (cells.Count >= maxRows)
                continue;
            var r = new HtmlCell[columns.Count];
            for (int i = 0; i < r.Length && i < row.Count; i++)
            {
                object? v = row[i];
                r[i] = HtmlCell.FromValue(v);
                if (v is not null and not DBNull)
                {
                    bool isNumber = r[i].SortKey is not null && v is not byte[];
                    numeric[i] = seen[i] ? numeric[i] && isNumber : isNumber;
                    seen[i] = true;
                }
            }
            cells.Add(r);
        }
        var cols = columns.Select((c, i) => new HtmlColumn(c, numeric[i])).ToList();
        caption ??= $"{total:N0} row(s)";
        return Fragment(w => HtmlTable.Write(w, cols, cells, total, caption));
    }

    /// <summary>A plain message (for empty results and notes), encoded like everything else.</summary>
    public static string Message(string text) => Fragment(w => w.Element("p", text, "ll-note"));

    /// <summary>A note followed by a warning that must not be missed (a heap read only in part), both escaped.</summary>
    public static string Message(string text, string warning) => Fragment(w =>
    {
        w.Element("p", text, "ll-note");
        w.Element("p", warning, "ll-warn");
    });

    internal static string Fragment(Action<HtmlWriter> body)
    {
        var w = new HtmlWriter(4096);
        w.Open("div", "ll-frag");
        w.TrustedRaw(HtmlAssets.StyleElement);
        body(w);
        w.Close();
        return w.ToString();
    }

    internal static string KindLabel(RootKind kind) => TextReport.KindLabel(kind);

    private static string KindClass(RootKind kind) => "ll-rk-" + kind.ToString().ToLowerInvariant();

    private static void WritePath(HtmlWriter w, RootKind kind, string rootName, IReadOnlyList<PathStep> steps, string count, string? note)
    {
        w.Open("div", "ll-path");
        w.Open("div", "ll-path-head");
        w.Element("span", count, "ll-count");
        if (note is not null)
            w.Element("span", note, "ll-muted ll-mono");
        w.Close();
        w.Open("ol", "ll-chain");
        w.Open("li");
        w.Element("span", KindLabel(kind), "ll-badge " + KindClass(kind)).Text(" ").Element("span", rootName, "ll-mono");
        w.Close();
        foreach (var step in steps)
        {
            w.Open("li");
            if (step.Field is not null)
                w.Element("span", step.Field == "[]" ? "[]" : "." + step.Field, "ll-field").Text(" ");
            w.Element("span", step.Type, "ll-type");
            if (step.Repeat > 1)
                w.Element("span", PathText.Repeat(step.Repeat), "ll-repeat", ("title", $"{step.Repeat:N0} consecutive steps of this shape (a linked list) collapsed"));
            w.Close();
        }
        w.Close();
        w.Close();
    }

    private static void WriteTypeList(HtmlWriter w, string caption, IReadOnlyList<string> types)
    {
        if (types.Count == 0)
            return;
        w.Element("div", $"{caption}: {types.Count:N0}", "ll-caption");
        w.Open("ul");
        foreach (string t in types.Take(50))
            w.Element("li", t, "ll-type");
        if (types.Count > 50)
            w.Element("li", $"\u2026 and {types.Count - 50:N0} more", "ll-note");
        w.Close();
    }

    private static HtmlCell Status(bool growing) => growing ? new("\u25B2 suspect", 1, "ll-suspect") : new("", 0);

    private static long At(long[] values, int i) => i >= 0 && i < values.Length ? values[i] : 0;

    private static string Sequence(long[] values) =>
        string.Join(" \u2192 ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture)));

    internal static string SnapshotLabel(IReadOnlyList<SnapshotInfo> snaps, int i)
    {
        SnapshotInfo s = snaps[i];
        string label = s.Label;
        // EventPipe snapshots all read "eventpipe": number them so charts and headers keep them apart.
        if (snaps.Count(o => o.Label == label) > 1)
            label = $"#{i + 1} {label}";
        if (s.CapturedAt is { } at)
            label += " " + at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return label;
    }
}
