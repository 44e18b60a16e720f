using Microsoft.Data.Analysis;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// Base of every value LeakLab hands to a notebook: knows how to render itself as HTML (escaped, self-contained)
/// and as plain text, and, for tables, how to become DataFrames. Hosts register the renderers (the .NET Interactive
/// extension does it with Formatter.Register).
/// </summary>
public abstract class LeakLabResult
{
    private protected LeakLabResult() { }

    /// <summary>An HTML fragment; every string that came from a dump is encoded.</summary>
    public abstract string ToHtml();

    /// <summary>Aligned plain text for terminals and logs.</summary>
    public abstract string ToText();

    /// <summary>
    /// The result's tables as DataFrames, main table first (e.g. diff: types, roots, paths); empty when the result is
    /// not tabular. Tables that span snapshots have a <c>snapshot</c> column, one row per snapshot and item.
    /// </summary>
    public virtual IReadOnlyList<NamedDataFrame> ToDataFrames() => [];

    /// <summary>The main table as a DataFrame.</summary>
    /// <exception cref="LeakLabException">The result is not tabular (a chart, a message).</exception>
    public DataFrame ToDataFrame() =>
        ToDataFrames() is [var first, ..] ? first.Frame
            : throw new LeakLabException(LeakLabErrorKind.BadArgument, $"a {GetType().Name} has no table to turn into a DataFrame; use stats, paths, roots, retained, diff or sql");

    public override string ToString() => ToText();
}
