using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace LeakLab.Query;

/// <summary>DuckDB's error text on one line, and the error a query on objects/refs gets before their load commits.</summary>
internal static class DuckErrors
{
    /// <summary>
    /// "Parser Error: syntax error at or near "SELEC"": the lines before DuckDB's "LINE n:" excerpt and caret (which
    /// repeat the query), joined by spaces.
    /// </summary>
    public static string OneLine(DuckDBException e)
    {
        var lines = e.Message.ReplaceLineEndings("\n").Split('\n')
            .TakeWhile(l => !l.StartsWith("LINE ", StringComparison.Ordinal))
            .Select(l => l.Trim()).Where(l => l.Length > 0);
        return string.Join(" ", lines).TrimEnd('.');
    }

    /// <summary>True when the query named objects or refs (or the rows under them) before the background load committed.</summary>
    public static bool NoSuchBigTable(DuckDBException e) =>
        e.ErrorType == DuckDBErrorType.Catalog
        && (e.Message.Contains("name objects does not exist", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("name refs does not exist", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("heap", StringComparison.OrdinalIgnoreCase));
}
