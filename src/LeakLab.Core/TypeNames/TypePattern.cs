namespace LeakLab.Core.TypeNames;

/// <summary>
/// A type pattern as a user types it (<c>--type</c>, <c>#!leaklab paths --type</c>, <c>Paths(type: ...)</c>), with one
/// meaning in every host and analysis.
/// </summary>
/// <remarks>
/// Matching rules, best first (<see cref="TypeMatchKind"/>):
/// <list type="number">
/// <item><b>Exact</b>: the full name equals the pattern, as typed or normalised by <see cref="TypeNameNormalizer"/>, so a
/// reflection-style name such as <c>System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]</c> names the
/// type LeakLab shows as <c>System.Collections.Generic.Dictionary&lt;System.String, System.Byte[]&gt;</c>. Case matters.</item>
/// <item><b>Short name</b>: the name a table shows without namespaces (<see cref="ShortNames.Type"/>) equals the pattern,
/// as typed or normalised, any case: <c>CachedOrder</c>, <c>Dictionary`2[String,Byte[]]</c>. A pattern with a namespace
/// is no short name (<c>app.foo</c> does not name <c>App.Foo</c> this way; it is part of its name).</item>
/// <item><b>Contains</b>: the full name contains the pattern or its normalised form, any case.</item>
/// </list>
/// <see cref="Select"/> (paths and every "instances of a type" question) takes the exact matches when there are any,
/// else the one type whose short name matches, else every type the pattern matches in any way (two types sharing a
/// short name in different namespaces are ambiguous, so both are listed). Filters that list types (<c>stats --type</c>)
/// keep every match and rank exact matches first (<see cref="Rank"/>).
/// </remarks>
public sealed class TypePattern
{
    /// <param name="text">The pattern; surrounding spaces are ignored.</param>
    /// <exception cref="LeakLabException">The pattern is empty or only spaces.</exception>
    public TypePattern(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "The type pattern is empty; pass a type name or part of one, e.g. --type Byte[].");
        Text = text.Trim();
        Canonical = TypeNameNormalizer.Normalize(Text);
    }

    /// <summary>The pattern as typed, trimmed.</summary>
    public string Text { get; }

    /// <summary>The pattern in LeakLab's canonical type-name form (equal to <see cref="Text"/> for a plain name).</summary>
    public string Canonical { get; }

    /// <summary>How <paramref name="typeName"/> (a canonical name from a graph) matches this pattern.</summary>
    public TypeMatchKind Match(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (string.Equals(typeName, Text, StringComparison.Ordinal) || string.Equals(typeName, Canonical, StringComparison.Ordinal))
            return TypeMatchKind.Exact;
        string shortName = ShortNames.Type(typeName);
        if (string.Equals(shortName, Text, StringComparison.OrdinalIgnoreCase) || string.Equals(shortName, Canonical, StringComparison.OrdinalIgnoreCase))
            return TypeMatchKind.ShortName;
        if (typeName.Contains(Text, StringComparison.OrdinalIgnoreCase) || typeName.Contains(Canonical, StringComparison.OrdinalIgnoreCase))
            return TypeMatchKind.Contains;
        return TypeMatchKind.None;
    }

    /// <summary>Whether <paramref name="typeName"/> matches in any way (the filter <c>stats --type</c> applies).</summary>
    public bool IsMatch(string typeName) => Match(typeName) != TypeMatchKind.None;

    /// <summary>
    /// The match kind of every type of <paramref name="graph"/>, indexed by type id; the kinds a filter keeps, in the
    /// order <see cref="Rank"/> sorts them.
    /// </summary>
    public TypeMatchKind[] MatchAll(HeapGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var kinds = new TypeMatchKind[graph.TypeCount];
        for (int t = 0; t < kinds.Length; t++)
            kinds[t] = Match(graph.TypeName(t));
        return kinds;
    }

    /// <summary>
    /// The types this pattern names in <paramref name="graph"/> by the rules above, with how many objects each has; empty
    /// when nothing matches. <paramref name="paths"/> (optional) adds how many of them a root reaches.
    /// </summary>
    public TypeSelection Select(HeapGraph graph, ShortestPaths? paths = null)
    {
        TypeMatchKind[] kinds = MatchAll(graph);
        int exact = kinds.Count(k => k == TypeMatchKind.Exact);
        int shortNamed = kinds.Count(k => k == TypeMatchKind.ShortName);
        // The narrowest kind that names something wins; an ambiguous short name widens to every match.
        TypeMatchKind widest = exact > 0 ? TypeMatchKind.Exact : shortNamed == 1 ? TypeMatchKind.ShortName : TypeMatchKind.Contains;
        var chosen = new bool[kinds.Length];
        for (int t = 0; t < kinds.Length; t++)
            chosen[t] = kinds[t] <= widest;
        return TypeSelection.Count(this, graph, chosen, kinds, paths);
    }

    /// <summary>Orders rows by match kind (exact first) and keeps each kind's rows in their given order; drops non-matches.</summary>
    public IReadOnlyList<T> Rank<T>(IEnumerable<T> rows, Func<T, string> typeName)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(typeName);
        return [.. rows.Select(r => (Row: r, Kind: Match(typeName(r)))).Where(x => x.Kind != TypeMatchKind.None).OrderBy(x => x.Kind).Select(x => x.Row)];
    }

    public override string ToString() => Text;
}
