namespace LeakLab.Core.Graph;

/// <summary>
/// Dense ids for distinct keys, in order of first sight: the one interning every loader shares (type and field names in
/// <see cref="HeapGraphBuilder"/>, runtime type ids in the EventPipe snapshot).
/// </summary>
internal sealed class Interner<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, int> _ids;
    private readonly List<TKey> _keys = [];

    public Interner(IEqualityComparer<TKey>? comparer = null) => _ids = new Dictionary<TKey, int>(comparer);

    public int Count => _keys.Count;

    /// <summary>The keys by id.</summary>
    public IReadOnlyList<TKey> Keys => _keys;

    /// <summary>The id of <paramref name="key"/>, assigning the next one on first sight.</summary>
    public int Intern(TKey key)
    {
        if (!_ids.TryGetValue(key, out int id))
        {
            id = _keys.Count;
            _keys.Add(key);
            _ids.Add(key, id);
        }
        return id;
    }
}
