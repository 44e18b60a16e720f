using System.Text;

namespace LeakLab.Core.TypeNames;

/// <summary>
/// Type and root names as a reader writes them: namespaces dropped, generic arguments and nested-type parts kept
/// (<c>System.Collections.Generic.Dictionary&lt;System.Int64, Shop.CachedOrder&gt;+Entry[]</c> reads
/// <c>Dictionary&lt;Int64, CachedOrder&gt;+Entry[]</c>). Text reports use them when the full-names option
/// is off; JSON and HTML always carry the full names.
/// </summary>
/// <remarks>
/// Works on LeakLab's canonical names (see <see cref="TypeNameNormalizer"/>): every run of dotted identifiers is a
/// qualified name, and only its last part is kept. In a root or frame name (<c>Shop.OrderCache.Entries</c>,
/// <c>Shop.Program.Main</c>) the outermost run ends with a member, so its last two parts are kept. A run that starts
/// with a digit (<c>1.5</c>) is a number and left alone. Never throws; text with no dotted names comes back unchanged.
/// </remarks>
internal static class ShortNames
{
    /// <summary>The short form of a type name: <c>Dictionary&lt;Guid, CachedOrder&gt;</c>.</summary>
    public static string Type(string name) => Shorten(name, memberAtEnd: false);

    /// <summary>
    /// The short form of a root, frame or path label whose outermost name ends with a member
    /// (<c>static OrderCache.Entries</c>, <c>thread 1 (os 0x1a): Program.Main</c>, <c>strong handle → Object[]</c>).
    /// </summary>
    public static string Member(string name) => Shorten(name, memberAtEnd: true);

    /// <summary>
    /// Short names for a list of distinct full names, keeping a full name wherever two of them would read the same
    /// (<c>System.Threading.Timer</c> next to <c>System.Timers.Timer</c>), so a table never shows two identical rows.
    /// </summary>
    public static string[] Distinct(IReadOnlyList<string> names, Func<string, string> shorten)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(shorten);
        var shortOf = new string[names.Count];
        var fullsByShort = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            shortOf[i] = shorten(names[i]);
            if (!fullsByShort.TryGetValue(shortOf[i], out HashSet<string>? fulls))
                fullsByShort[shortOf[i]] = fulls = new HashSet<string>(StringComparer.Ordinal);
            fulls.Add(names[i]);
        }
        for (int i = 0; i < names.Count; i++)
        {
            if (fullsByShort[shortOf[i]].Count > 1)
                shortOf[i] = names[i];
        }
        return shortOf;
    }

    private static string Shorten(string name, bool memberAtEnd)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.Contains('.', StringComparison.Ordinal))
            return name;
        var text = new StringBuilder(name.Length);
        int depth = 0;
        int i = 0;
        while (i < name.Length)
        {
            char c = name[i];
            if (!IsNameChar(c))
            {
                if (c == '<')
                    depth++;
                else if (c == '>' && depth > 0)
                    depth--;
                text.Append(c);
                i++;
                continue;
            }

            // A run of identifiers joined by single dots: "System.Collections.Generic.Dictionary".
            int start = i;
            var dots = new List<int>();
            while (i < name.Length)
            {
                if (IsNameChar(name[i]))
                    i++;
                else if (name[i] == '.' && i + 1 < name.Length && IsNameChar(name[i + 1]) && i > start)
                    dots.Add(i++);
                else
                    break;
            }
            int end = i;
            char next = end < name.Length ? name[end] : '\0';
            // A member run sits at depth 0 and is not followed by a nested part or generic arguments, which only types have.
            bool member = memberAtEnd && depth == 0 && next is not ('+' or '<' or '[');
            int keep = member ? 2 : 1;
            if (dots.Count < keep || char.IsAsciiDigit(name[start]))
                text.Append(name, start, end - start);
            else
                text.Append(name, dots[^keep] + 1, end - dots[^keep] - 1);
        }
        return text.ToString();
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '`' or '$';
}
