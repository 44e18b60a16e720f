using System.Text;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// The runtime structures of one dump as tables (finalizer queue, GC handles, timers, threads, pending tasks,
/// token-source registrations, SafeHandles, memory), all of them or the one <c>--table</c> named.
/// </summary>
public sealed class RuntimeResult : ResultList<RuntimeTable>
{
    /// <summary>The tables of <paramref name="snapshot"/>: all, or only the one <paramref name="table"/> names (<see cref="RuntimeTable.Names"/>).</summary>
    public RuntimeResult(string snapshot, RuntimeTables tables, string? table = null)
        : base(RuntimeTable.All(tables).Where(t => table is null || t.Name == table))
    {
        Snapshot = snapshot;
        Tables = tables;
    }

    public string Snapshot { get; }
    /// <summary>The tables as the reader returned them, typed rows included.</summary>
    public RuntimeTables Tables { get; }

    public override string ToHtml()
    {
        var html = new StringBuilder();
        foreach (RuntimeTable t in this)
            html.Append(Render.TableHtml(t.Columns, t.Rows, $"{t.Name}: {t.Caption} ({t.Rows.Count:N0} row(s), snapshot {Snapshot})"));
        return html.ToString();
    }

    public override string ToText()
    {
        var text = new StringBuilder();
        foreach (RuntimeTable t in this)
            text.Append($"{t.Name}: {t.Caption} ({t.Rows.Count:N0} row(s), snapshot {Snapshot})\n").Append(Render.TableText(t.Columns, t.Rows)).Append('\n');
        return text.ToString();
    }

    /// <summary>One DataFrame per table shown, named as <c>--table</c> names it, each with a leading <c>snapshot</c> column.</summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames() => [.. this.Select(t => new NamedDataFrame(t.Name, t.ToDataFrame(Snapshot)))];
}
