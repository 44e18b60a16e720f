using System.Text.Json.Nodes;
using LeakLab;
using Xunit;
using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>Every notebook under notebooks/ runs headless, and its HTML report draws in headless Chromium.</summary>
public class NotebookRunTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Notebooks() => RepoPaths.AllNotebooks();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task NotebookRunsHeadlessAndItsReportDrawsInChromium(string notebook)
    {
        string outDir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "notebooks")).FullName;
        string name = Path.GetFileNameWithoutExtension(notebook);
        var progress = new StringWriter();
        var result = await NotebookRunner.RunAsync(Path.Combine(RepoPaths.Notebooks, notebook), new RunOptions
        {
            HtmlReportPath = Path.Combine(outDir, name + ".html"),
            OutputNotebookPath = Path.Combine(outDir, name + ".executed.ipynb"),
            Progress = progress,
        });
        output.WriteLine(progress.ToString());
        Assert.True(result.Succeeded, result.Error);
        Assert.Matches(@"\[\d+/\d+\] cell \d+: ok \d+\.\d s", progress.ToString());

        // The executed notebook: every code cell ran, in order, with outputs.
        var executed = JsonNode.Parse(File.ReadAllText(result.OutputNotebookPath!))!.AsObject();
        var codeCells = executed["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.Equal(Enumerable.Range(1, codeCells.Count), codeCells.Select(c => c!["execution_count"]!.GetValue<int>()));
        Assert.DoesNotContain(codeCells, c => c!["outputs"]!.AsArray().Any(o => o!["output_type"]!.GetValue<string>() == "error"));
        Assert.Equal(".net-csharp", executed["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (page, dialogs) = await chromium.OpenAsync(result.HtmlReportPath!);
        int tables = await page.Locator("table").CountAsync();
        Assert.True(tables > 0, "the report has no table");
        int charts = await page.Locator("[data-ll-plotly]").CountAsync();
        if (charts > 0)
        {
            // Plotly draws into SVG inside each chart's div; wait for every one of them.
            await page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('[data-ll-plotly]')].every(c => c.querySelector('svg.main-svg'))",
                null, new() { Timeout = 30_000 });
        }
        string screenshot = await HeadlessChromium.ScreenshotAsync(page, name);
        output.WriteLine($"{notebook}: {result.CellsRun} code cells in {result.Elapsed.TotalSeconds:0.0} s; {tables} tables, {charts} charts; screenshot {screenshot}");
        Assert.Empty(dialogs);
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    [Fact]
    public async Task StaticCacheNotebookNamesTheLeakingStaticField()
    {
        string outDir = Directory.CreateTempSubdirectory("leaklab-nb-").FullName;
        try
        {
            string report = Path.Combine(outDir, "report.html");
            var result = await NotebookRunner.RunAsync(Path.Combine(RepoPaths.Notebooks, "01-static-cache.ipynb"), new RunOptions { HtmlReportPath = report });
            Assert.True(result.Succeeded, result.Error);
            string html = File.ReadAllText(report);
            Assert.Contains("LeakLab.Sample.OrderCache.Entries", html);
            Assert.Contains("LeakLab.Sample.CachedOrder", html);
            Assert.Equal(1, CountOf(html, "<!doctype html>"));
            Assert.Equal(1, CountOf(html, ".ll-caption{"));        // LeakLab's CSS once
            Assert.Equal(1, CountOf(html, "plotly.js v"));         // plotly.js once (the chart cell carried it inline)
            // The sample the notebook started is gone once the run ends.
            Assert.DoesNotContain(System.Diagnostics.Process.GetProcesses(), p => SafeCommandLine(p.Id).Contains("LeakLab.Sample.dll static-cache --rate 1000"));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.OrdinalIgnoreCase))
            n++;
        return n;
    }

    private static string SafeCommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
