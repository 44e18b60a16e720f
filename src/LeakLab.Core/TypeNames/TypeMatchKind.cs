namespace LeakLab.Core.TypeNames;

/// <summary>How a type name matches a <see cref="TypePattern"/>, best first (the enum order is the rank).</summary>
public enum TypeMatchKind
{
    /// <summary>The full name, as typed or after normalisation (<c>Dictionary`2[...]</c> is <c>Dictionary&lt;...&gt;</c>).</summary>
    Exact,

    /// <summary>The short name a table shows, any case (<c>CachedOrder</c>, <c>Dictionary&lt;String, Byte[]&gt;</c>).</summary>
    ShortName,

    /// <summary>Part of the full name, any case.</summary>
    Contains,

    /// <summary>No match.</summary>
    None,
}
