using Microsoft.Data.Analysis;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// Builds the DataFrames results convert to, with typed columns: counts, bytes and sizes as long, scores as double,
/// flags as bool, names and addresses ("0x…") as string. Column names are snake_case like the SQL tables.
/// </summary>
internal static class Frames
{
    public static DataFrame Of(params DataFrameColumn[] columns) => new(columns);

    public static StringDataFrameColumn Text(string name, IEnumerable<string?> values) => new(name, values);

    public static Int64DataFrameColumn Long(string name, IEnumerable<long> values) => new(name, values);

    public static Int64DataFrameColumn Long(string name, IEnumerable<long?> values) => new(name, values);

    public static DoubleDataFrameColumn Real(string name, IEnumerable<double> values) => new(name, values);

    public static BooleanDataFrameColumn Flag(string name, IEnumerable<bool> values) => new(name, values);

    public static string Hex(ulong address) => $"0x{address:x}";

    /// <summary>Per-type rows of one snapshot: snapshot, type, count, bytes, retained (null unless computed).</summary>
    public static DataFrame TypeStats(string snapshot, IReadOnlyCollection<TypeStat> rows) => Of(
        Text("snapshot", rows.Select(_ => snapshot)),
        Text("type", rows.Select(r => r.Type)),
        Long("count", rows.Select(r => r.Count)),
        Long("bytes", rows.Select(r => r.Bytes)),
        Long("retained", rows.Select(r => r.Retained)));

    /// <summary>
    /// A SQL result: a column whose values are all integers (or NULL) is long, all numbers double, all booleans bool,
    /// anything else string (blobs as "&lt;N bytes&gt;").
    /// </summary>
    public static DataFrame FromRows(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows)
    {
        var result = new DataFrameColumn[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            var values = rows.Select(r => c < r.Count && r[c] is not DBNull ? r[c] : null).ToArray();
            var present = values.Where(v => v is not null).ToArray();
            string name = UniqueName(columns, c);
            if (present.Length > 0 && present.All(v => v is long or int or short or byte or sbyte or uint or ushort))
                result[c] = Long(name, values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)));
            else if (present.Length > 0 && present.All(v => v is long or int or short or byte or double or float or decimal))
                result[c] = new DoubleDataFrameColumn(name, values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
            else if (present.Length > 0 && present.All(v => v is bool))
                result[c] = new BooleanDataFrameColumn(name, values.Select(v => (bool?)v));
            else
                result[c] = Text(name, values.Select(v => v switch { null => null, byte[] b => $"<{b.Length} bytes>", _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) }));
        }
        return new DataFrame(result);
    }

    // A DataFrame needs distinct column names; SQL allows "SELECT a, a".
    private static string UniqueName(IReadOnlyList<string> columns, int index)
    {
        string name = string.IsNullOrEmpty(columns[index]) ? $"column{index + 1}" : columns[index];
        int earlier = columns.Take(index).Count(c => c == columns[index]);
        return earlier == 0 ? name : $"{name}_{earlier + 1}";
    }
}
