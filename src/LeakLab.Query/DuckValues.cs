using System.Collections;
using System.Globalization;
using System.Numerics;

namespace LeakLab.Query;

/// <summary>
/// Turns what DuckDB's ADO.NET reader returns into the few kinds <see cref="QueryResult"/> promises: long, double,
/// string, byte[] or null. DuckDB types its results finely (SUM of BIGINT is a 128-bit HUGEINT, 1.5 a DECIMAL, COUNT a
/// BIGINT, comparisons BOOLEAN); tables, DataFrames and charts want one integer and one number kind.
/// </summary>
internal static class DuckValues
{
    public static object? Normalize(object? value) => value switch
    {
        null or DBNull => null,
        long or double or string or byte[] => value,
        int i => (long)i,
        short s => (long)s,
        sbyte s => (long)s,
        byte b => (long)b,
        ushort u => (long)u,
        uint u => (long)u,
        ulong u => u <= long.MaxValue ? (long)u : u.ToString(CultureInfo.InvariantCulture), // exact, never rounded
        BigInteger b => b >= long.MinValue && b <= long.MaxValue ? (long)b : b.ToString(CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L, // as SQLite gave them, so DataFrame columns and charts stay numeric
        decimal d => (double)d,
        float f => (double)f,
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        Stream s => ReadAll(s),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object?>().Select(k => $"{Text(k)}: {Text(map[k!])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Text)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Text(object? value) => Normalize(value) switch
    {
        null => "NULL",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    private static byte[] ReadAll(Stream s)
    {
        using (s)
        {
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
