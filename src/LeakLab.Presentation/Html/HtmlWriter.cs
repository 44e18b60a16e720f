using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
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
internal sealed partial class HtmlWriter
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

    /// <summary>
    /// HTML-encodes with the platform's <see cref="HtmlEncoder"/>: <c>&lt; &gt; &amp; " ' +</c>, control and unpaired
    /// surrogate characters become character references; other letters of every script stay as they are. Safe in text and
    /// quoted attributes.
    /// </summary>
    public static string Encode(string? text) => string.IsNullOrEmpty(text) ? "" : s_encoder.Encode(text);

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

    // UnicodeRanges.All: type names and strings in other scripts stay readable; the encoder still escapes HTML's
    // special characters and everything that is not a valid, printable character.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly System.Buffers.SearchValues<char> s_scriptSpecial = System.Buffers.SearchValues.Create("<>&\u2028\u2029");

    private static void Encode(StringBuilder sb, string? text)
    {
        if (!string.IsNullOrEmpty(text))
            sb.Append(s_encoder.Encode(text));
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
