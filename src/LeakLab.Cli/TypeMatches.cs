using System.Text;

namespace LeakLab.Cli;

/// <summary>
/// Which types a <c>paths --type</c> pattern names, and how many objects each has (all, and reachable from a root), so
/// the output says what it answers for. Exact names win: the full name, else the short name a table shows
/// (<c>CachedOrder</c>); only when neither matches does a part of a name select every type containing it.
/// </summary>
internal sealed record TypeMatches(string Pattern, IReadOnlyList<TypeMatches.Match> Types, bool Exact)
{
    /// <param name="Objects">Instances in the heap, garbage included (what <c>stats</c> counts).</param>
    /// <param name="Reachable">Instances some root reaches (what paths, retained and diff count).</param>
    public sealed record Match(string Type, long Objects, long Reachable);

    /// <summary>
    /// The pattern to hand to <see cref="ShortestPaths.PathsToType"/>: the one full name when exactly one type is named
    /// exactly, else the pattern itself.
    /// </summary>
    public string PathPattern => Exact && Types.Count == 1 ? Types[0].Type : Pattern;

    public static TypeMatches Find(HeapAnalysis analysis, string pattern, CancellationToken cancellationToken = default)
    {
        HeapGraph graph = analysis.Graph;
        string wanted = pattern.Trim();
        string canonical = TypeNameNormalizer.Normalize(wanted);
        var exact = new List<int>();
        var shortExact = new List<int>();
        var partial = new List<int>();
        for (int t = 0; t < graph.TypeCount; t++)
        {
            string name = graph.TypeName((TypeId)t);
            if (name == wanted || name == canonical)
                exact.Add(t);
            else if (string.Equals(ShortNames.Type(name), wanted, StringComparison.OrdinalIgnoreCase))
                shortExact.Add(t);
            else if (name.Contains(wanted, StringComparison.OrdinalIgnoreCase))
                partial.Add(t);
        }
        // A short name shared by types of two namespaces is ambiguous: fall back to "contains", which lists them all.
        (List<int> chosen, bool isExact) = exact.Count > 0 ? (exact, true)
            : shortExact.Count == 1 ? (shortExact, true)
            : (shortExact.Concat(partial).ToList(), false);

        var objects = new long[graph.TypeCount];
        var reachable = new long[graph.TypeCount];
        var wantedType = new bool[graph.TypeCount];
        foreach (int t in chosen)
            wantedType[t] = true;
        ShortestPaths paths = analysis.GetPaths(cancellationToken);
        for (int n = 0; n < graph.NodeCount; n++)
        {
            int t = graph.TypeOf((NodeId)n);
            if (!wantedType[t])
                continue;
            objects[t]++;
            if (paths.IsReachable((NodeId)n))
                reachable[t]++;
        }
        // Exact short names first, then the types with most objects: the likely meaning leads.
        var shortSet = shortExact.ToHashSet();
        Match[] matches = [.. chosen
            .OrderByDescending(shortSet.Contains).ThenByDescending(t => objects[t]).ThenBy(t => graph.TypeName((TypeId)t), StringComparer.Ordinal)
            .Select(t => new Match(graph.TypeName((TypeId)t), objects[t], reachable[t]))];
        return new TypeMatches(wanted, matches, isExact);
    }

    /// <summary>Puts the path shapes that end at an exactly named type first, keeping the order within each group.</summary>
    public IReadOnlyList<RetentionPath> Rank(IReadOnlyList<RetentionPath> paths)
    {
        if (Types.Count <= 1)
            return paths;
        return [.. paths.OrderByDescending(p => p.Steps.Count > 0
            && string.Equals(ShortNames.Type(p.Steps[^1].Type), Pattern, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>
    /// The lines above the paths: the type (or the types a part of a name matched, with objects each) and, where they
    /// differ, how many objects are garbage that <c>stats</c> counts but no path reaches.
    /// </summary>
    public string Describe(TextReportOptions options)
    {
        var text = new StringBuilder();
        if (Types.Count == 1)
        {
            Match m = Types[0];
            text.Append(options.Wrap($"Type {options.TypeName(m.Type)}: {Objects(m)}"));
        }
        else
        {
            text.Append(options.Wrap($"'{TextTable.Printable(Pattern)}' is part of {Types.Count:N0} type names; paths below lead to all of them (pass a full name to pick one):"));
            TextTable table = options.Table(new("Objects", ColumnKind.Number), new("Reachable", ColumnKind.Number), new("Type", ColumnKind.TypeName));
            foreach (Match m in Types.Take(10))
                table.AddRow(m.Objects, m.Reachable, m.Type);
            text.Append(table.Render());
            if (Types.Count > 10)
                text.Append($"... {Types.Count - 10:N0} more types\n");
        }
        long garbage = Types.Sum(m => m.Objects - m.Reachable);
        if (garbage > 0)
            text.Append(options.Wrap($"{garbage:N0} of these objects are unreachable (garbage the next GC frees): 'stats' counts them, paths, retained and diff do not."));
        text.Append('\n');
        return text.ToString();
    }

    private static string Objects(Match m) =>
        m.Objects == m.Reachable ? $"{m.Objects:N0} objects, all reachable from a root" : $"{m.Objects:N0} objects, {m.Reachable:N0} reachable from a root";
}
