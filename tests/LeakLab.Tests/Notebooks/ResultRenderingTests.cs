using Xunit;

namespace LeakLab.Tests.Notebooks;

/// <summary>What every host shows of a result: its HTML (dump strings encoded) and its text.</summary>
public class ResultRenderingTests
{
    private static Dictionary<string, string> Format(LeakLabResult value) =>
        new() { ["text/html"] = value.ToHtml(), ["text/plain"] = value.ToText() };

    [Fact]
    public void EveryResultTypeFormatsAsHtmlAndText()
    {
        using var session = new LeakLabSession();
        session.Add(TestGraphs.StaticCache(5), "a");
        session.Add(TestGraphs.StaticCache(9), "b");
        LeakLabResult[] results =
        [
            session.Stats(), session.Paths(type: "Byte[]"), session.Roots(), session.Retained(), session.Diff(),
            session.Sql("SELECT type FROM types"), session.Chart(ChartKind.Growth),
        ];
        foreach (var result in results)
        {
            var formatted = Format(result);
            Assert.True(formatted["text/html"].Length > 20, result.GetType().Name);
            Assert.True(formatted["text/plain"].Length > 5, result.GetType().Name);
        }
    }

    [Fact]
    public void HostileNamesAreEncodedInEveryHtmlResult()
    {
        const string evil = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        using var session = new LeakLabSession();
        session.Add(TestGraphs.StaticCache(3, hostileName: evil), "a");
        session.Add(TestGraphs.StaticCache(6, hostileName: evil), "b");
        LeakLabResult[] results =
        [
            session.Stats(), session.Paths(type: "<img"), session.Roots(), session.Retained(), session.Diff(),
            session.Sql("SELECT type, name FROM roots"), session.Chart(ChartKind.Generations),
        ];
        foreach (var result in results)
        {
            string html = Format(result)["text/html"];
            Assert.False(html.Contains("<img src=x", StringComparison.Ordinal), $"{result.GetType().Name} lets <img> through");
            Assert.False(html.Contains("<script>alert", StringComparison.Ordinal), $"{result.GetType().Name} lets <script> through");
        }
        Assert.Contains("&lt;img src=x", Format(session.Roots())["text/html"]);
    }
}
