using Xunit;
using System.Text.RegularExpressions;

namespace LeakLab.Tests.Presentation.Html;

/// <summary>
/// Hand-built heaps whose type, field and root names are hostile HTML, as a dump from an attacker-controlled process
/// could hold, plus the checks that rendered HTML stays inert.
/// </summary>
internal static partial class HostileHeap
{
    public const string Script = "<script>alert(1)</script>";
    public const string Img = "<img src=x onerror=alert(1)>";
    public const string Quotes = "\"'&";
    public const string Closure = "<>c__DisplayClass0_0";

    /// <summary>
    /// static root (named <see cref="Script"/>) → holder (<see cref="Img"/>) .<see cref="Script"/> → array (<see cref="Quotes"/>)
    /// [] → <paramref name="leaked"/> leaked objects (<see cref="Script"/>); a handle root → a 30-node linked list of
    /// <see cref="Closure"/> through field <see cref="Img"/>; plus one unreachable object.
    /// </summary>
    public static HeapGraph Build(int leaked = 20, string label = "hostile.dmp", DateTimeOffset? capturedAt = null)
    {
        var b = new HeapGraphBuilder();
        NodeId holder = b.AddNode(Img, 48, Generation.Gen2);
        NodeId array = b.AddNode(Quotes, 24 + 8 * leaked, Generation.Gen2);
        b.AddEdge(holder, array, Script);
        for (int i = 0; i < leaked; i++)
        {
            NodeId obj = b.AddNode(Script, 100, i % 2 == 0 ? Generation.Gen2 : Generation.Gen0);
            b.AddEdge(array, obj, (FieldId)FieldIds.ArrayElement);
        }
        NodeId head = b.AddNode(Closure, 32, Generation.Gen1);
        int prev = head;
        for (int i = 0; i < 29; i++)
        {
            NodeId next = b.AddNode(Closure, 32, Generation.Gen1);
            b.AddEdge((NodeId)prev, next, Img);
            prev = next;
        }
        b.AddNode("System.String", 30, Generation.Gen0); // unreachable
        b.AddRoot(RootKind.StaticField, Script, holder);
        b.AddRoot(RootKind.StrongHandle, Img + Quotes, head);
        return b.Build(new SnapshotInfo { SourceKind = "test", Path = "/tmp/" + label, CapturedAt = capturedAt, ProcessId = 42, HasFieldNames = true });
    }

    private static readonly HashSet<string> s_ourTags = new(StringComparer.Ordinal)
    {
        "div", "style", "table", "thead", "tbody", "tr", "th", "td", "span", "ol", "ul", "li", "p", "button", "select", "option", "script",
        "h1", "h2", "h3", "html", "head", "body", "meta", "title",
    };

    /// <summary>
    /// Asserts that no element or attribute came from data: no raw hostile markup, only the tags LeakLab writes, no event
    /// handler attributes, and every script body is one of LeakLab's own.
    /// </summary>
    public static void AssertInert(string html)
    {
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("</script>\"", html, StringComparison.Ordinal);

        // Script bodies are ours: the table script (a constant) or a chart script whose JSON holds no '<' at all.
        foreach (Match m in ScriptRegex().Matches(html))
        {
            string body = m.Groups[2].Value;
            bool table = body.StartsWith("(function(){var f=window.__leaklabTable", StringComparison.Ordinal);
            bool chart = body.StartsWith("(function(){var fig=", StringComparison.Ordinal) && !body.Contains('<');
            bool library = m.Groups[1].Value.Contains("data-ll-plotly-lib", StringComparison.Ordinal) || body.Contains("plotly.js v", StringComparison.Ordinal);
            Assert.True(table || chart || library, $"Unexpected script body: {body[..Math.Min(200, body.Length)]}");
        }

        string outside = ScriptRegex().Replace(html, "<script></script>");
        foreach (Match tag in TagRegex().Matches(outside))
        {
            string name = tag.Groups[1].Value.ToLowerInvariant();
            Assert.True(s_ourTags.Contains(name), $"Unexpected element <{name}> in: {tag.Value}");
            // Quoted values are encoded data (a title may read "…onerror=…"): only attribute names matter here.
            string names = QuotedRegex().Replace(tag.Groups[2].Value, "\"\"");
            foreach (Match attr in AttrRegex().Matches(names))
                Assert.False(attr.Groups[1].Value.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"Event handler attribute in {tag.Value}");
        }
    }

    /// <summary>Asserts the hostile strings are present, encoded (so the user still sees them).</summary>
    public static void AssertShownEncoded(string html, params string[] texts)
    {
        foreach (string text in texts)
            Assert.Contains(HtmlWriter.Encode(text), html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<script([^>]*)>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptRegex();

    [GeneratedRegex(@"<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")]
    private static partial Regex TagRegex();

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex QuotedRegex();

    [GeneratedRegex(@"\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=")]
    private static partial Regex AttrRegex();
}
