using System.Collections;
using System.Reflection;
using LeakLab;
using Xunit;

namespace LeakLab.Tests.Notebooks;

/// <summary>
/// Binds to the formatters exactly as .NET Interactive's Formatter does (notebook-hosts.md §1): attribute by
/// NAME, FormatterSourceType property, Activator.CreateInstance, GetMethod("CreateTypeFormatters"), then on each
/// formatter GetProperty("MimeType"/"Type") and GetMethod("Format") (which throws if overloaded).
/// </summary>
public class FormatterConventionTests
{
    private static Dictionary<string, string> FormatLikeTheKernel(object value)
    {
        var attr = value.GetType().GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attr.GetType().GetProperty("FormatterSourceType")!.GetGetMethod()!.Invoke(attr, null)!;
        var preferred = (string[])attr.GetType().GetProperty("PreferredMimeTypes")!.GetGetMethod()!.Invoke(attr, null)!;
        Assert.Equal(["text/html", "text/plain"], preferred);
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = (IEnumerable)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        var output = new Dictionary<string, string>();
        foreach (var f in formatters)
        {
            string mime = (string)f.GetType().GetProperty("MimeType")!.GetGetMethod()!.Invoke(f, null)!;
            var type = (Type)f.GetType().GetProperty("Type")!.GetGetMethod()!.Invoke(f, null)!;
            Assert.True(type.IsInstanceOfType(value));
            MethodInfo format = f.GetType().GetMethod("Format")!; // AmbiguousMatchException if overloaded
            Assert.Equal(typeof(bool), format.ReturnType);
            Assert.Equal([typeof(object), typeof(TextWriter)], format.GetParameters().Select(p => p.ParameterType));
            using var writer = new StringWriter();
            Assert.True((bool)format.Invoke(f, [value, writer])!);
            output[mime] = writer.ToString();
        }
        return output;
    }

    [Fact]
    public void EveryResultTypeFormatsAsHtmlAndText()
    {
        using var session = new LeakLabSession();
        session.Add(TestGraphs.StaticCache(5), "a");
        session.Add(TestGraphs.StaticCache(9), "b");
        object[] results =
        [
            session.Stats(), session.Paths(type: "Byte[]"), session.Roots(), session.Retained(), session.Diff(),
            session.Sql("SELECT type FROM types"), session.Chart(ChartKind.Growth),
        ];
        foreach (var result in results)
        {
            var formatted = FormatLikeTheKernel(result);
            Assert.True(formatted["text/html"].Length > 20, result.GetType().Name);
            Assert.True(formatted["text/plain"].Length > 5, result.GetType().Name);
        }
    }

    [Fact]
    public void TheFormatterDeclinesOtherObjects()
    {
        var source = Activator.CreateInstance(typeof(LeakLabResult).Assembly.GetType("LeakLab.LeakLabFormatterSource")!)!;
        var f = ((IEnumerable)source.GetType().GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).Cast<object>().First();
        Assert.False((bool)f.GetType().GetMethod("Format")!.Invoke(f, ["not a result", new StringWriter()])!);
    }

    [Fact]
    public void HostileNamesAreEncodedInEveryHtmlResult()
    {
        const string evil = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        using var session = new LeakLabSession();
        session.Add(TestGraphs.StaticCache(3, hostileName: evil), "a");
        session.Add(TestGraphs.StaticCache(6, hostileName: evil), "b");
        object[] results =
        [
            session.Stats(), session.Paths(type: "<img"), session.Roots(), session.Retained(), session.Diff(),
            session.Sql("SELECT type, name FROM roots"), session.Chart(ChartKind.Generations),
        ];
        foreach (var result in results)
        {
            string html = FormatLikeTheKernel(result)["text/html"];
            Assert.False(html.Contains("<img src=x", StringComparison.Ordinal), $"{result.GetType().Name} lets <img> through");
            Assert.False(html.Contains("<script>alert", StringComparison.Ordinal), $"{result.GetType().Name} lets <script> through");
        }
        Assert.Contains("&lt;img src=x", FormatLikeTheKernel(session.Roots())["text/html"]);
    }
}
