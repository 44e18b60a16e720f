using System.Collections;

namespace LeakLab.Notebooks.Results;

/// <summary>The rows of a SQL query over the session's snapshot tables.</summary>
public sealed class SqlResult : LeakLabResult, IReadOnlyList<IReadOnlyList<object?>>
{
    private readonly IReadOnlyList<object?>[] _rows;

    internal SqlResult(string sql, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, TimeSpan elapsed)
    {
        Sql = sql;
        Columns = columns;
        _rows = [.. rows];
        Elapsed = elapsed;
    }

    internal static SqlResult From(string sql, QueryResult result) =>
        new(sql, [.. result.Columns], result.Rows.Select(r => (IReadOnlyList<object?>)r), result.Elapsed);

    public string Sql { get; }
    public IReadOnlyList<string> Columns { get; }
    public TimeSpan Elapsed { get; }

    /// <summary>The value of a column (by name, case-insensitive) in a row.</summary>
    public object? Value(int row, string column)
    {
        int index = -1;
        for (int i = 0; i < Columns.Count && index < 0; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
                index = i;
        }
        if (index < 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"the query has no column '{column}'; its columns are: {string.Join(", ", Columns)}");
        return _rows[row][index];
    }

    public IReadOnlyList<object?> this[int index] => _rows[index];
    public int Count => _rows.Length;
    public IEnumerator<IReadOnlyList<object?>> GetEnumerator() => ((IEnumerable<IReadOnlyList<object?>>)_rows).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _rows.GetEnumerator();

    // A statement that returns no result set (CREATE TEMP VIEW, PRAGMA x = y, DROP ...) has no columns, so no table to draw.
    public override string ToHtml() => Columns.Count == 0 ? Render.MessageHtml(NoResultSet) : Render.TableHtml(Columns, _rows);
    public override string ToText() => Columns.Count == 0 ? NoResultSet + "\n"
        : Render.TableText(Columns, _rows) + $"({Count:N0} rows, {Elapsed.TotalMilliseconds:0} ms)\n";

    /// <summary>"result": one column per query column, typed from the values (integers long, numbers double, else string).</summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames() =>
        Columns.Count == 0 ? [] : [new("result", Frames.FromRows(Columns, _rows))];

    private string NoResultSet => $"The statement ran in {Elapsed.TotalMilliseconds:0} ms and returned no result set.";
}
