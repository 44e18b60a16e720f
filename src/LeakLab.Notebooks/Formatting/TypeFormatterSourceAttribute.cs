namespace LeakLab;

/// <summary>
/// Marks a result type as formatted by a formatter source. .NET Interactive matches this attribute by its
/// simple NAME (not by type identity), so LeakLab declares its own copy and never references the kernel.
/// </summary>
/// <remarks>
/// Contract (notebook-hosts.md §1): a public <see cref="FormatterSourceType"/> getter, whose type has a public
/// parameterless ctor and a public <c>CreateTypeFormatters()</c>; optional <see cref="PreferredMimeTypes"/>.
/// Without text/plain in the preferred list the kernel emits only text/html, which terminals cannot show.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    public Type FormatterSourceType { get; }

    public string[]? PreferredMimeTypes { get; set; }
}
