using LeakLab;
using Xunit;
using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// Names from a dump are untrusted. A heap graph whose type, field and root names are HTML/script payloads goes
/// through every magic command into a headless report; in Chromium no dialog fires and no element is injected.
/// </summary>
public class HostileStringsTests(ITestOutputHelper output)
{
    private const string ScriptName = "<script>alert('type')</script>";
    private const string ImgName = "<img src=x onerror=alert('img')>";
    private const string QuoteName = "\"'><svg onload=alert('svg')>&amp;";

    private static HeapGraph HostileGraph(int copies)
    {
        var b = new HeapGraphBuilder();
        int holder = b.AddNode(ScriptName, 64, Generation.Gen2);
        int array = b.AddNode(ImgName + "[]", 32 + 8L * copies, Generation.Gen2);
        b.AddEdge(holder, array, QuoteName);
        for (int i = 0; i < copies; i++)
        {
            int item = b.AddNode(ImgName, 48, Generation.Gen0);
            b.AddEdge(array, item, FieldIds.ArrayElement);
        }
        b.AddRoot(RootKind.StaticField, "Evil." + ScriptName, holder);
        b.AddRoot(RootKind.StrongHandle, ImgName, array);
        return b.Build(SnapshotInfo.HandBuilt(ScriptName));
    }

    [Fact]
    public async Task HostileNamesRenderInertInTheReport()
    {
        string dir = Directory.CreateTempSubdirectory("leaklab-hostile-").FullName;
        try
        {
            string notebook = Path.Combine(dir, "hostile.dib");
            File.WriteAllText(notebook, """
                #!markdown
                # Hostile names
                Raw HTML in markdown stays text: <script>alert('md')</script> <img src=x onerror=alert('mdimg')>

                #!csharp
                #!leaklab stats
                #!leaklab stats --retained
                #!leaklab paths --type <img
                #!leaklab roots
                #!leaklab retained --top 5
                #!leaklab diff
                #!leaklab sql SELECT type, count, bytes FROM types
                #!leaklab chart generations
                #!leaklab chart growth

                #!csharp
                display("<script>alert('display')</script>");
                Console.WriteLine("<img src=x onerror=alert('stdout')>");
                Session.Roots().Select(r => r.Name)
                """);
            string report = Path.Combine(dir, "hostile.html");
            using var session = new LeakLabSession();
            session.Add(HostileGraph(3), "a");
            session.Add(HostileGraph(7), "b");
            session.Add(HostileGraph(12), "c");
            var result = await NotebookRunner.RunAsync(notebook, new RunOptions { HtmlReportPath = report, Session = session });
            Assert.True(result.Succeeded, result.Error);

            await using var chromium = await HeadlessChromium.LaunchAsync();
            var (page, dialogs) = await chromium.OpenAsync(report);
            await page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('[data-ll-plotly]')].every(c => c.querySelector('svg.main-svg'))", null, new() { Timeout = 30_000 });
            await page.WaitForTimeoutAsync(500); // give any injected handler time to fire
            await HeadlessChromium.ScreenshotAsync(page, "hostile-strings");

            Assert.Empty(dialogs);
            Assert.Equal(0, await page.Locator("img").CountAsync());
            Assert.Equal(0, await page.Locator("[onerror], [onload]").CountAsync());
            int injectedScripts = await page.EvaluateAsync<int>("() => [...document.scripts].filter(s => s.textContent.includes(\"alert('\")).length");
            Assert.Equal(0, injectedScripts);
            string text = await page.InnerTextAsync("body");
            Assert.Contains(ScriptName, text);   // shown as text, not run
            Assert.Contains(ImgName, text);
            Assert.Contains("<script>alert('md')</script>", text);
            Assert.Contains("<script>alert('display')</script>", text);
            Assert.True(await page.Locator("table").CountAsync() >= 4);
            output.WriteLine($"report {new FileInfo(report).Length:N0} bytes; dialogs: {dialogs.Count}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
