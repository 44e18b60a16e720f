using System.Collections;

namespace LeakLab.Notebooks.Results;

/// <summary>A result that is also an immutable, LINQ-friendly list of typed rows.</summary>
public abstract class ResultList<TRow> : LeakLabResult, IReadOnlyList<TRow>
{
    private readonly TRow[] _rows;

    private protected ResultList(IEnumerable<TRow> rows) => _rows = [.. rows];

    public TRow this[int index] => _rows[index];
    public int Count => _rows.Length;
    public IEnumerator<TRow> GetEnumerator() => ((IEnumerable<TRow>)_rows).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _rows.GetEnumerator();
}
