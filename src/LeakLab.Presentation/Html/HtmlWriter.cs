using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeakLab.Presentation.Html;

/// <summary>
/// Builds an HTML fragment in which every text and attribute value is encoded, because type names, field
/// names and string contents come from a dump and are untrusted (<c>&lt;&gt;c__DisplayClass0_0</c>, <c>&lt;script&gt;</c>).
/// </summary>
/// <remarks>
/// The public surface can only produce inert markup: tag and attribute names must be plain lowercase words,
/// <c>script</c>/<c>style</c>/<c>iframe</c>/<c>object</c> tags and <c>on*</c>/<c>href</c>/<c>src</c> attributes are refused.
/// LeakLab's own scripts and styles go through internal methods.
/// </remarks>
public sealed partial class HtmlWriter
{
    private static readonly HashSet<string> s_forbiddenTags = new(StringComparer.Ordinal)
    {
        "script", "style", "iframe", "object", "embed", "link", "meta", "base", "form", "svg", "math", "template",
    };
    private static readonly HashSet<string> s_voidTags = new(StringComparer.Ordinal) { "br", "hr", "wbr", "col", "img", "input" };

    private readonly StringBuilder _sb;
    private readonly Stack<string> _open = new();

    public HtmlWriter(int capacity = 1024) => _sb = new StringBuilder(capacity);

    /// <summary>Opens an element; <see cref="Close"/> closes the most recent one.</summary>
    public HtmlWriter Open(string tag, string? cssClass = null, params (string Name, string? Value)[] attributes)
    {
        WriteStartTag(tag, cssClass, attributes);
        _open.Push(tag);
        return this;
    }

    /// <summary>Closes the element opened last.</summary>
    public HtmlWriter Close()
    {
        if (_open.Count == 0)
            throw new InvalidOperationException("HtmlWriter.Close was called with no open element.");
        _sb.Append("</").Append(_open.Pop()).Append('>');
        return this;
    }

    /// <summary>Writes encoded text.</summary>
    public HtmlWriter Text(string? text)
    {
        Encode(_sb, text);
        return this;
    }

    /// <summary>Writes <c>&lt;tag class=...&gt;encoded text&lt;/tag&gt;</c>.</summary>
    public HtmlWriter Element(string tag, string? text, string? cssClass = null, params (string Name, string? Value)[] attributes)
    {
        WriteStartTag(tag, cssClass, attributes);
        if (s_voidTags.Contains(tag))
            return this;
        Encode(_sb, text);
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Number of elements opened and not yet closed.</summary>
    public int Depth => _open.Count;

    /// <summary>The markup so far. Throws if an element is still open, so a fragment is always balanced.</summary>
    public override string ToString()
    {
        if (_open.Count != 0)
            throw new InvalidOperationException($"HtmlWriter has {_open.Count} unclosed element(s), innermost <{_open.Peek()}>.");
        return _sb.ToString();
    }

    /// <summary>HTML-encodes <c>&lt; &gt; &amp; " '</c>; control characters become U+FFFD. Safe in text and quoted attributes.</summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        if (text.AsSpan().IndexOfAny(s_special) < 0)
            return text;
        var sb = new StringBuilder(text.Length + 16);
        Encode(sb, text);
        return sb.ToString();
    }

    /// <summary>
    /// Makes JSON safe to embed in a <c>&lt;script&gt;</c> element: <c>&lt; &gt; &amp;</c> and U+2028/9 become <c>\uXXXX</c>
    /// escapes, so no string value can close the script (<c>&lt;/script</c>) or open a comment (<c>&lt;!--</c>).
    /// </summary>
    /// <remarks>Outside strings JSON never contains these characters, so a plain replacement keeps the JSON equal.</remarks>
    public static string ScriptSafeJson(string json)
    {
        if (json.AsSpan().IndexOfAny(s_scriptSpecial) < 0)
            return json;
        var sb = new StringBuilder(json.Length + 32);
        foreach (char c in json)
        {
            switch (c)
            {
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc cref="ScriptSafeJson(string)"/>
    public static string ScriptSafeJson(JsonNode? node) => ScriptSafeJson(node?.ToJsonString() ?? "null");

    // LeakLab's own markup (scripts, styles, fragments built by this writer). Never pass dump strings here.
    internal HtmlWriter TrustedRaw(string html)
    {
        _sb.Append(html);
        return this;
    }

    internal HtmlWriter TrustedScript(string javaScript)
    {
        if (javaScript.Contains("</script", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("A LeakLab script contains '</script'; embed data with ScriptSafeJson.");
        _sb.Append("<script>").Append(javaScript).Append("</script>");
        return this;
    }

    private static readonly System.Buffers.SearchValues<char> s_special = System.Buffers.SearchValues.Create(
        "<>&\"'\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b\u000c\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");
    private static readonly System.Buffers.SearchValues<char> s_scriptSpecial = System.Buffers.SearchValues.Create("<>&\u2028\u2029");

    private static void Encode(StringBuilder sb, string? text)
    {
        if (string.IsNullOrEmpty(text))
            return;
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            int i = rest.IndexOfAny(s_special);
            if (i < 0)
            {
                sb.Append(rest);
                return;
            }
            sb.Append(rest[..i]);
            sb.Append(rest[i] switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\uFFFD", // NUL and other C0 controls are parse errors in HTML
            });
            rest = rest[(i + 1)..];
        }
    }

    private void WriteStartTag(string tag, string? cssClass, (string Name, string? Value)[] attributes)
    {
        // Validate everything before writing anything, so a refused call leaves the fragment unchanged.
        if (!NameRegex().IsMatch(tag) || s_forbiddenTags.Contains(tag))
            throw new ArgumentException($"HtmlWriter does not write <{tag}> elements.", nameof(tag));
        foreach (var (name, _) in attributes)
        {
            if (!NameRegex().IsMatch(name) || name.StartsWith("on", StringComparison.Ordinal)
                || name is "href" or "src" or "srcdoc" or "action" or "formaction" or "style" or "xmlns" or "class")
                throw new ArgumentException($"HtmlWriter does not write the attribute '{name}'.", nameof(attributes));
        }
        _sb.Append('<').Append(tag);
        if (cssClass is not null)
            WriteAttribute("class", cssClass);
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
                WriteAttribute(name, value);
        }
        _sb.Append('>');
    }

    private void WriteAttribute(string name, string value)
    {
        _sb.Append(' ').Append(name).Append("=\"");
        Encode(_sb, value);
        _sb.Append('"');
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex NameRegex();
}
