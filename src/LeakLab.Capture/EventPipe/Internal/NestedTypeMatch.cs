namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// Whether the name the runtime's events give a type and the name ClrMD gives it (both normalised) are one type.
/// The events name a nested type without its declaring types, and a nested type of a generic type carries the
/// declaring type's arguments as its own: ClrMD's <c>System.Buffers.SharedArrayPool&lt;System.Char&gt;+&lt;&gt;c</c>
/// is the events' <c>&lt;&gt;c&lt;System.Char&gt;</c>, <c>ConditionalWeakTable&lt;K, V&gt;+Entry[]</c> is
/// <c>Entry&lt;K, V&gt;[]</c>, <c>Shop.StaticsShape+CouponBox</c> is <c>CouponBox</c>.
/// </summary>
internal static class NestedTypeMatch
{
    public static bool SameType(string fromEvents, string fromClrMd)
    {
        if (fromEvents == fromClrMd)
            return true;
        int plus = LastTopLevel(fromClrMd, '+');
        if (plus < 0)
            return false;
        string inner = fromClrMd[(plus + 1)..];
        if (inner == fromEvents)
            return true;
        // The nested type's own name, its own arguments and any array suffix; the declaring types' arguments go first.
        var arguments = new List<string>();
        ArgumentLists(fromClrMd[..plus], arguments);
        int suffix = inner.Length;
        while (suffix > 0 && inner[suffix - 1] == ']')
            suffix = inner.LastIndexOf('[', suffix - 1);
        if (suffix < 0)
            return false;
        string name = ArgumentLists(inner[..suffix], arguments);
        if (arguments.Count == 0)
            return false;
        return fromEvents == $"{name}<{string.Join(", ", arguments)}>{inner[suffix..]}";
    }

    /// <summary>The last <paramref name="c"/> outside any generic argument list, or -1.</summary>
    private static int LastTopLevel(string name, char c)
    {
        int depth = 0, found = -1;
        for (int i = 0; i < name.Length; i++)
        {
            if (IsEmptyPair(name, i))
                i++; // "<>" is part of a compiler-generated name ("<>c"), not an argument list
            else if (name[i] == '<')
                depth++;
            else if (name[i] == '>')
                depth--;
            else if (depth == 0 && name[i] == c)
                found = i;
        }
        return found;
    }

    /// <summary>Adds the arguments of each top-level argument list to <paramref name="arguments"/>; returns the name without them.</summary>
    private static string ArgumentLists(string name, List<string> arguments)
    {
        var bare = new System.Text.StringBuilder(name.Length);
        int depth = 0, start = 0;
        for (int i = 0; i < name.Length; i++)
        {
            if (IsEmptyPair(name, i))
            {
                if (depth == 0)
                    bare.Append("<>");
                i++;
                continue;
            }
            char ch = name[i];
            if (ch == '<' && depth++ == 0)
                start = i + 1;
            else if (ch == '>' && --depth == 0)
                arguments.AddRange(SplitTopLevel(name[start..i]));
            else if (depth == 0 && ch != '>')
                bare.Append(ch);
        }
        return bare.ToString();
    }

    private static IEnumerable<string> SplitTopLevel(string list)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < list.Length; i++)
        {
            if (IsEmptyPair(list, i))
                i++;
            else if (list[i] == '<')
                depth++;
            else if (list[i] == '>')
                depth--;
            else if (list[i] == ',' && depth == 0)
            {
                yield return list[start..i].Trim();
                start = i + 1;
            }
        }
        yield return list[start..].Trim();
    }

    private static bool IsEmptyPair(string name, int i) => name[i] == '<' && i + 1 < name.Length && name[i + 1] == '>';
}
