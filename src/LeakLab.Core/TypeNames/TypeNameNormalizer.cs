using System.Collections.Concurrent;

namespace LeakLab.Core.TypeNames;

/// <summary>
/// Rewrites a type name from any source (ClrMD, EventPipe, reflection) into LeakLab's one canonical form, so that
/// types from different snapshots and sources compare by plain string equality.
/// </summary>
/// <remarks>
/// Canonical form: C#-like generics <c>Dictionary&lt;System.String, System.Byte[]&gt;</c> (", " between arguments),
/// nested types joined by <c>+</c> with each generic argument on the type that declares it
/// (<c>Outer&lt;A&gt;+Inner</c>), no arity suffixes (<c>`2</c>), no assembly names, array suffixes kept
/// (<c>[]</c>, <c>[,]</c>). Compiler-generated names (<c>&lt;&gt;c__DisplayClass0_0</c>, <c>&lt;Main&gt;d__1</c>) are
/// left as they are. ClrMD's names are already canonical except for spacing; EventPipe's are reflection-style
/// (<c>Dictionary`2[System.String,System.Byte[]]</c>). EventPipe sometimes names a nested generic type without its
/// outer type (<c>Entry[System.String,System.Byte[]][]</c>): that becomes <c>Entry&lt;System.String, System.Byte[]&gt;[]</c>,
/// because the outer type is simply not in the input.
/// A name that cannot be parsed comes back trimmed but otherwise unchanged; this method never throws.
/// </remarks>
internal static class TypeNameNormalizer
{
    // A heap has hundreds of distinct types but millions of objects, so every distinct input is parsed once.
    // The cap only protects against a hostile source that invents names without end.
    private const int MaxCachedNames = 200_000;
    private static readonly ConcurrentDictionary<string, string> s_cache = new(StringComparer.Ordinal);

    /// <summary>The canonical form of <paramref name="name"/>; see the class remarks.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (s_cache.TryGetValue(name, out string? canonical))
            return canonical;

        // Reflection-style names go to the BCL's parser; ClrMD's C#-like names (which it does not read) to LeakLab's own.
        canonical = (ReflectionTypeNames.IsReflectionStyle(name) ? ReflectionTypeNames.TryFormat(name) : null)
            ?? TypeNameParser.TryFormat(name) ?? name.Trim();
        if (s_cache.Count < MaxCachedNames)
            s_cache.TryAdd(name, canonical);
        return canonical;
    }
}
