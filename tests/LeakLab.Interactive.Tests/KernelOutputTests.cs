using LeakLab.IntegrationTests;
using LeakLab.IntegrationTests.Notebooks;
using LeakLab.Tests.Presentation.Html;
using Xunit.Abstractions;

namespace LeakLab.Interactive.Tests;

/// <summary>
/// What the kernel's outputs hold: dump strings inert in every subcommand's HTML, and plotly.js sent with the first chart
/// of a kernel session only, while every chart of the page still draws (in Chromium, in either output order).
/// </summary>
public class KernelOutputTests(ITestOutputHelper output)
{
    /// <summary>A fresh kernel whose session (<see cref="Lab.Current"/>) holds two hostile snapshots; restored after.</summary>
    private static async Task WithHostileSession(Func<InProcessKernel, Task> test)
    {
        var previous = Lab.Current;
        using var session = new LeakLabSession();
        session.Add(HostileHeap.Build(10), "a");
        session.Add(HostileHeap.Build(30), "b");
        Lab.Current = session;
        try
        {
            using var kernel = await InProcessKernel.CreateWithLeakLabAsync();
            await test(kernel);
        }
        finally
        {
            Lab.Current = previous;
        }
    }

    [Fact]
    public Task HostileNamesAreInertInEverySubcommandsHtml() => WithHostileSession(async kernel =>
    {
        string[] cells =
        [
            "#!leaklab stats --retained", "#!leaklab paths --type alert", "#!leaklab roots", "#!leaklab retained --top 5",
            "#!leaklab diff", "#!leaklab sql SELECT type, count FROM types", "#!leaklab chart generations", "#!leaklab chart growth",
        ];
        foreach (string cell in cells)
        {
            string html = Assert.Single((await kernel.RunAsync(cell)).AssertSucceeded().Html);
            HostileHeap.AssertInert(html);
            output.WriteLine($"{cell}: {html.Length:N0} chars of inert HTML");
        }
        HostileHeap.AssertShownEncoded(Assert.Single((await kernel.RunAsync("#!leaklab roots")).Html), HostileHeap.Script);
    });

    [Fact]
    public Task PlotlyJsComesOncePerSessionAndEveryChartDraws() => WithHostileSession(async kernel =>
    {
        var charts = new List<string>();
        foreach (string cell in new[] { "#!leaklab chart growth", "#!leaklab chart generations a", "Lab.Current.Chart(ChartKind.Retained, \"b\")" })
            charts.Add(Assert.Single((await kernel.RunAsync(cell)).AssertSucceeded().Html));
        Assert.Contains("data-ll-plotly-lib", charts[0]);
        Assert.True(charts[0].Length > 1_000_000);
        Assert.All(charts.Skip(1), c => Assert.DoesNotContain("data-ll-plotly-lib", c));
        Assert.All(charts.Skip(1), c => Assert.True(c.Length < 100_000, $"a later chart is {c.Length:N0} chars"));

        // As nbconvert's HTML export lays them out (in order), and as VS Code may render them (a later output first).
        string dir = Directory.CreateTempSubdirectory("leaklab-kernel-charts-").FullName;
        try
        {
            await using var chromium = await HeadlessChromium.LaunchAsync();
            foreach (var (name, order) in new[] { ("in-order", new[] { 0, 1, 2 }), ("library-last", new[] { 1, 2, 0 }) })
            {
                string page = Path.Combine(dir, name + ".html");
                // require.js on the page, as in Jupyter's export: the library must still set window.Plotly.
                File.WriteAllText(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>var define=function(){};define.amd={};</script></head><body>"
                    + string.Concat(order.Select(i => $"<div class=\"output\">{charts[i]}</div>")) + "</body></html>");
                var (browserPage, dialogs) = await chromium.OpenAsync(page);
                await browserPage.WaitForFunctionAsync(
                    "() => [...document.querySelectorAll('[data-ll-plotly]')].every(c => c.querySelector('svg.main-svg'))", null, new() { Timeout = 30_000 });
                Assert.Equal(3, await browserPage.Locator("svg.main-svg").CountAsync() >= 3 ? 3 : 0);
                Assert.Empty(dialogs);
                await HeadlessChromium.ScreenshotAsync(browserPage, "kernel-charts-" + name);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    });
}
