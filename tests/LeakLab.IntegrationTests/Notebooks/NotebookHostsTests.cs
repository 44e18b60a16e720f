using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// Every notebook under notebooks/ runs clean in Jupyter's own client on the real dotnet-interactive kernel, loading
/// LeakLab.Interactive exactly as the README tells users (#r "nuget: LeakLab.Interactive, 0.1.0-*" from the packed
/// source), and in <c>leaklab run notebooks/ --html DIR</c>; each curated notebook's inspection names its scenario, its
/// fixed variant is clean, and no sample it started is left; every report draws its charts offline in Chromium.
/// S01 is also compared host against host (same outputs per cell) and its nbconvert HTML export opened.
/// All notebooks run once per host (<see cref="NotebookRuns"/>), two at a time, to fit the suite's time budget.
/// </summary>
[Collection(NotebookPackageFixture.Collection)]
public sealed class NotebookHostsTests(NotebookPackageFixture package, NotebookRuns runs, ITestOutputHelper output) : IClassFixture<NotebookRuns>
{
    private const string Compared = "S01-static-cache.ipynb";

    private static string[] Notebooks => [.. RepoPaths.AllNotebooks().Select(n => (string)n[0])];

    [Fact]
    public async Task Every_notebook_runs_clean_in_leaklab_run_folder_with_an_index_and_reports_whose_charts_draw()
    {
        LeakLabFolderRun run = await runs.LeakLabAsync(package.Environment);
        output.WriteLine($"leaklab run notebooks/ --parallel {NotebookRuns.Parallel}: {run.Elapsed.TotalSeconds:0} s in all");
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"leaklab run notebooks/ failed (exit {run.ExitCode})\n{run.Output}");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (index, indexDialogs) = await chromium.OpenAsync(Path.Combine(run.ReportFolder, "index.html"));
        var rows = index.Locator("table.ll-index tbody tr");
        Assert.Equal(Notebooks.Length, await rows.CountAsync());
        for (int i = 0; i < Notebooks.Length; i++)
        {
            var cells = rows.Nth(i).Locator("td");
            Assert.Equal(Notebooks[i], (await cells.Nth(0).InnerTextAsync()).Trim());
            Assert.Equal("ok", (await cells.Nth(1).InnerTextAsync()).Trim());
            string href = (await rows.Nth(i).Locator("a").First.GetAttributeAsync("href"))!;
            Assert.True(File.Exists(Path.Combine(run.ReportFolder, Uri.UnescapeDataString(href))), $"index.html links {href}, which is missing");
        }
        Assert.Empty(indexDialogs);

        foreach (string notebook in Notebooks)
        {
            string executed = File.ReadAllText(run.Executed(notebook));
            AssertInvestigated(notebook, executed);
            foreach (int pid in NotebookRuns.SamplePids(executed))
                await NotebookRuns.AssertGoneAsync(pid, notebook);

            var (page, dialogs) = await chromium.OpenAsync(run.Report(notebook));
            int charts = await HeadlessChromium.AssertChartsDrawAsync(page, notebook + " report");
            Assert.True(await page.Locator("table.ll-table").CountAsync() > 0, $"{notebook} report: no LeakLab table");
            string header = await page.Locator("p.ll-run").InnerTextAsync();
            Assert.Matches(@"^Run on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC on .+; target: LeakLab\.Sample [a-z-]+ \(pid \d+\)", header);
            Assert.True(await page.Locator(".ll-md h2").CountAsync() > 0, $"{notebook} report: the notebook's prose is missing");
            Assert.Empty(dialogs);
            await page.CloseAsync();
            string log = File.ReadAllText(Path.Combine(run.ReportFolder, Path.GetFileNameWithoutExtension(notebook) + ".log"));
            output.WriteLine($"{notebook}: {charts} chart(s) drawn; {log.Split('\n').LastOrDefault(l => l.Contains(" ran in ", StringComparison.Ordinal))?.Trim()}");
        }
        output.WriteLine($"screenshot of the index: {await HeadlessChromium.ScreenshotAsync(index, "notebooks-index")}");
    }

    [Fact]
    public async Task Every_notebook_runs_clean_in_Jupyter_on_the_real_kernel()
    {
        JupyterRuns jupyter = await runs.JupyterAsync(package.Environment);
        output.WriteLine($"Jupyter (nbconvert --execute, {NotebookRuns.Parallel} at a time, kernel start included): {jupyter.Elapsed.TotalSeconds:0} s in all");
        foreach (var run in jupyter.Runs)
            output.WriteLine($"  {run.Notebook}: {run.Elapsed.TotalSeconds:0.0} s{(run.Retried ? " (clean on the second attempt)" : "")}{(run.Error is null ? "" : $" FAILED: {run.Error}")}");
        // The whole message is in the output above; the assertion names the notebooks.
        Assert.Empty(jupyter.Runs.Where(r => r.Error is not null).Select(r => r.Notebook));
        foreach (var run in jupyter.Runs)
        {
            string executed = File.ReadAllText(run.Executed!);
            AssertInvestigated(run.Notebook, executed);
            foreach (int pid in NotebookRuns.SamplePids(executed))
                await NotebookRuns.AssertGoneAsync(pid, run.Notebook);
        }
    }

    /// <summary>S01 in both hosts: the same kinds of outputs per cell, LeakLab's tables, a path and a chart, both pages drawn offline.</summary>
    [Fact]
    public async Task S01_gives_the_same_outputs_in_Jupyter_and_in_leaklab_run_and_both_pages_draw_offline()
    {
        JupyterRuns jupyter = await runs.JupyterAsync(package.Environment);
        LeakLabFolderRun leaklab = await runs.LeakLabAsync(package.Environment);
        JupyterRun s01 = jupyter.Runs.Single(r => r.Notebook == Compared);
        Assert.True(s01.Error is null, s01.Error);
        Assert.True(leaklab.ExitCode == 0, leaklab.Output);

        string jupyterJson = File.ReadAllText(s01.Executed!);
        Assert.Contains("class=\\\"ll-table", jupyterJson);
        Assert.Contains("class=\\\"ll-chain", jupyterJson);
        Assert.Contains("data-ll-plotly", jupyterJson);

        var inJupyter = OutputShapes(s01.Executed!);
        var inRun = OutputShapes(leaklab.Executed(Compared));
        Assert.Equal(inJupyter.Count, inRun.Count);
        for (int i = 0; i < inJupyter.Count; i++)
            Assert.True(inJupyter[i].SequenceEqual(inRun[i]), $"code cell {i + 1}: Jupyter gave [{string.Join(", ", inJupyter[i])}], leaklab run [{string.Join(", ", inRun[i])}]");

        string exported = await Jupyter.ToHtmlAsync(s01.Executed!, TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.LaunchAsync();
        foreach (var (page, what) in new[] { (exported, "Jupyter's HTML export"), (leaklab.Report(Compared), "leaklab run's report") })
        {
            var (opened, dialogs) = await chromium.OpenAsync(page);
            int charts = await HeadlessChromium.AssertChartsDrawAsync(opened, what);
            Assert.True(await opened.Locator("table.ll-table").CountAsync() > 0, $"{what}: no LeakLab table");
            Assert.Empty(dialogs);
            string screenshot = await HeadlessChromium.ScreenshotAsync(opened, $"S01-{(page == exported ? "jupyter" : "leaklab-run")}");
            output.WriteLine($"{what}: {charts} chart(s) drawn; screenshot {screenshot}");
        }
    }

    /// <summary>
    /// A curated notebook (SNN-…) printed that the inspections named its scenario and that its fixed variant is clean
    /// (its own cells throw otherwise; this checks they ran); 00-investigate printed its top finding.
    /// </summary>
    private static void AssertInvestigated(string notebook, string executedJson)
    {
        if (NotebookRuns.ScenarioOf(notebook) is { } id)
        {
            Assert.True(executedJson.Contains($"Cause: [{id}]", StringComparison.Ordinal), $"{notebook}: the inspections did not name {id}");
            Assert.True(executedJson.Contains($"Fixed: no {id} finding", StringComparison.Ordinal), $"{notebook}: the fixed variant was not shown clean");
        }
        else
        {
            Assert.True(executedJson.Contains("Top finding: [S", StringComparison.Ordinal), $"{notebook}: the inspections named no cause");
        }
    }

    /// <summary>Per code cell, its outputs as "kind[mime,…]"; the kernel's one-off front-end bootstrap script (Jupyter only) is left out.</summary>
    private static List<List<string>> OutputShapes(string notebook) =>
        [.. JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray()
            .Where(c => (string?)c!["cell_type"] == "code")
            .Select(c => c!["outputs"]!.AsArray()
                .Where(o => !Jupyter.Text(o!["data"]?["text/html"]).Contains("dotnet-interactive-this-cell", StringComparison.Ordinal))
                .Select(o => (string?)o!["output_type"] switch
                {
                    "stream" => $"stream:{(string?)o!["name"]}",
                    var kind and ("display_data" or "execute_result") => $"{kind}[{string.Join(",", o!["data"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal))}]",
                    var kind => kind ?? "?",
                })
                .ToList())];
}
