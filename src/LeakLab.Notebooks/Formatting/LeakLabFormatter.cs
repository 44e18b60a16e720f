namespace LeakLab;

/// <summary>
/// One convention-based formatter. The kernel reads <see cref="MimeType"/> and <see cref="Type"/> with
/// GetProperty (fields are ignored) and compiles a call to the single <see cref="Format"/> method, so
/// Format must stay public, non-overloaded, (object, TextWriter) → bool.
/// </summary>
internal sealed class LeakLabFormatter
{
    public LeakLabFormatter(string mimeType) => MimeType = mimeType;

    public string MimeType { get; }

    /// <summary>Applies to every result type; the kernel matches subtypes of this.</summary>
    public Type Type => typeof(LeakLabResult);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not LeakLabResult result)
            return false; // lets the kernel try its next candidate formatter
        writer.Write(MimeType == LeakLabFormatterSource.Html ? result.ToHtml() : result.ToText());
        return true;
    }
}
