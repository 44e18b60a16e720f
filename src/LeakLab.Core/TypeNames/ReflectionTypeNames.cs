using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Text;

namespace LeakLab.Core.TypeNames;

/// <summary>
/// Reflection-style type names (EventPipe's <c>Dictionary`2[System.String,System.Byte[]]</c>, <c>Type.ToString()</c>,
/// assembly-qualified names) in LeakLab's canonical form, parsed by the BCL's <see cref="TypeName"/>.
/// </summary>
/// <remarks>
/// The BCL parses; this class only writes the result the way ClrMD names types: C#-like argument lists, each generic
/// argument on the nested segment that declares it (by the segments' arity markers: <c>Outer`1+Inner`1[[A],[B]]</c> is
/// <c>Outer&lt;A&gt;+Inner&lt;B&gt;</c>; without markers all arguments belong to the last segment, as in EventPipe's
/// <c>Entry[K,V][]</c>, whose outer type is missing), no arity markers, no assembly names.
/// </remarks>
internal static class ReflectionTypeNames
{
    // Real names have a few dozen nodes; the BCL's default cap (20) would refuse some nested dictionaries.
    private static readonly TypeNameParseOptions s_options = new() { MaxNodes = 256 };

    /// <summary>Whether <paramref name="name"/> is reflection-style: an arity marker or a bracketed argument list.</summary>
    public static bool IsReflectionStyle(string name)
    {
        if (name.Contains('`', StringComparison.Ordinal))
            return true;
        for (int i = name.IndexOf('['); i >= 0 && i + 1 < name.Length; i = name.IndexOf('[', i + 1))
        {
            if (name[i + 1] is not (']' or ',' or '*' or ' '))
                return true; // "[]", "[,]", "[*]" are array ranks; anything else opens generic arguments
        }
        return false;
    }

    /// <summary>The canonical form, or null when the BCL cannot parse the name or a segment's arity marker is not a number.</summary>
    public static string? TryFormat(string name)
    {
        if (!TypeName.TryParse(name.AsSpan().Trim(), out TypeName? parsed, s_options))
            return null;
        var text = new StringBuilder(name.Length);
        return Write(parsed, text) ? text.ToString() : null;
    }

    private static bool Write(TypeName type, StringBuilder text)
    {
        if (type.IsArray || type.IsPointer || type.IsByRef)
        {
            if (!Write(type.GetElementType(), text))
                return false;
            text.Append(type.IsPointer ? "*" : type.IsByRef ? "&"
                : type.IsSZArray ? "[]"
                : type.GetArrayRank() == 1 ? "[*]" : "[" + new string(',', type.GetArrayRank() - 1) + "]");
            return true;
        }
        return type.IsConstructedGenericType
            ? WriteNested(type.GetGenericTypeDefinition(), type.GetGenericArguments(), text)
            : WriteNested(type, [], text);
    }

    /// <summary>The chain of declaring types, outermost first, each with the arguments its arity claims.</summary>
    private static bool WriteNested(TypeName definition, ImmutableArray<TypeName> arguments, StringBuilder text)
    {
        var chain = new List<TypeName>();
        for (TypeName? t = definition; t is not null; t = t.IsNested ? t.DeclaringType : null)
            chain.Insert(0, t);
        var names = new string[chain.Count];
        var arities = new int[chain.Count];
        for (int i = 0; i < chain.Count; i++)
        {
            string name = i == 0 ? chain[i].FullName : chain[i].Name;
            int tick = name.LastIndexOf('`');
            if (tick >= 0 && !int.TryParse(name.AsSpan(tick + 1), System.Globalization.NumberStyles.None, null, out arities[i]))
                return false; // "List`x": not a reflection name after all
            names[i] = tick >= 0 ? name[..tick] : name;
        }
        bool byArity = arities.Sum() == arguments.Length;
        int next = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            if (i > 0)
                text.Append('+');
            text.Append(names[i]);
            int take = byArity ? arities[i] : i == chain.Count - 1 ? arguments.Length : 0;
            if (take == 0)
                continue;
            text.Append('<');
            for (int a = 0; a < take; a++)
            {
                if (a > 0)
                    text.Append(", ");
                if (!Write(arguments[next++], text))
                    return false;
            }
            text.Append('>');
        }
        return true;
    }
}
