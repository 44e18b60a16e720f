namespace LeakLab;

/// <summary>
/// Base of every value LeakLab hands to a notebook: knows how to render itself as HTML (escaped, self-contained)
/// and as plain text. Notebook hosts find the renderers through <see cref="TypeFormatterSourceAttribute"/>.
/// </summary>
[TypeFormatterSource(typeof(LeakLabFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public abstract class LeakLabResult
{
    private protected LeakLabResult() { }

    /// <summary>An HTML fragment; every string that came from a dump is encoded.</summary>
    public abstract string ToHtml();

    /// <summary>Aligned plain text for terminals and logs.</summary>
    public abstract string ToText();

    public override string ToString() => ToText();
}
