using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// Every notebook under notebooks/ runs clean in Jupyter's own client on the real dotnet-interactive kernel, loading
/// LeakLab.Interactive exactly as the README tells users (#r "nuget: LeakLab.Interactive, 0.1.0-*" from the packed
/// source), and in <c>leaklab run</c>, with the same outputs; both pages draw their charts offline in Chromium.
/// </summary>
[Collection(NotebookPackageFixture.Collection)]
public sealed partial class NotebookHostsTests(NotebookPackageFixture package, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new("leaklab-nbhosts");

    public static IEnumerable<object[]> Notebooks() => RepoPaths.AllNotebooks();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_clean_in_Jupyter_and_in_leaklab_run_with_the_same_outputs_and_charts_that_draw(string notebook)
    {
        string path = Path.Combine(RepoPaths.Notebooks, notebook);
        string name = Path.GetFileNameWithoutExtension(notebook);

        var clock = Stopwatch.StartNew();
        string jupyter = await Jupyter.ExecuteAsync(path, _folder.Path, package.Environment, TimeSpan.FromMinutes(8));
        TimeSpan jupyterTime = clock.Elapsed;

        clock.Restart();
        string report = _folder.File(name + ".html"), executed = _folder.File(name + ".leaklab.ipynb");
        using (var run = ChildProcess.LeakLab(["run", path, "--html", report, "--output", executed], RepoPaths.Notebooks, package.Environment))
        {
            int exit = await run.WaitAsync(TimeSpan.FromMinutes(8));
            Assert.True(exit == 0, $"leaklab run {notebook} failed (exit {exit})\n{run}");
        }
        TimeSpan runTime = clock.Elapsed;
        output.WriteLine($"{notebook}: Jupyter (nbconvert --execute, kernel start included) {jupyterTime.TotalSeconds:0.0} s; leaklab run {runTime.TotalSeconds:0.0} s");

        // What a user sees: LeakLab tables, a retention path (chain from a root), a chart.
        string jupyterJson = File.ReadAllText(jupyter);
        Assert.Contains("class=\\\"ll-table", jupyterJson);
        Assert.Contains("class=\\\"ll-chain", jupyterJson);
        Assert.Contains("data-ll-plotly", jupyterJson);

        // The same notebook gives the same outputs in both hosts: per code cell, the same kinds of outputs in the same
        // order with the same MIME types.
        var inJupyter = OutputShapes(jupyter);
        var inRun = OutputShapes(executed);
        Assert.Equal(inJupyter.Count, inRun.Count);
        for (int i = 0; i < inJupyter.Count; i++)
            Assert.True(inJupyter[i].SequenceEqual(inRun[i]), $"code cell {i + 1}: Jupyter gave [{string.Join(", ", inJupyter[i])}], leaklab run [{string.Join(", ", inRun[i])}]");

        // Sample programs a notebook starts are gone when it ends, in both hosts.
        foreach (int pid in SamplePids(jupyterJson).Concat(SamplePids(File.ReadAllText(executed))))
            await AssertGoneAsync(pid);

        // The pages: nbconvert's HTML export and leaklab run's report, opened offline.
        string exported = await Jupyter.ToHtmlAsync(jupyter, TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.LaunchAsync();
        foreach (var (page, what) in new[] { (exported, "Jupyter's HTML export"), (report, "leaklab run's report") })
        {
            var (opened, dialogs) = await chromium.OpenAsync(page);
            int charts = await HeadlessChromium.AssertChartsDrawAsync(opened, what);
            Assert.True(await opened.Locator("table.ll-table").CountAsync() > 0, $"{what}: no LeakLab table");
            Assert.Empty(dialogs);
            string screenshot = await HeadlessChromium.ScreenshotAsync(opened, $"{name}-{(page == report ? "leaklab-run" : "jupyter")}");
            output.WriteLine($"{what}: {charts} chart(s) drawn; screenshot {screenshot}");
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

    private static IEnumerable<int> SamplePids(string notebookJson) =>
        SamplePid().Matches(notebookJson).Select(m => int.Parse(m.Groups[1].Value)).Distinct();

    private static async Task AssertGoneAsync(int pid)
    {
        for (int i = 0; i < 50 && Directory.Exists($"/proc/{pid}") && IsSample(pid); i++)
            await Task.Delay(100);
        Assert.False(Directory.Exists($"/proc/{pid}") && IsSample(pid), $"the sample program (pid {pid}) the notebook started still runs");
    }

    private static bool IsSample(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("LeakLab.Sample", StringComparison.Ordinal); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    // SampleProgram.ToString(), shown by the kernel's tree view: "LeakLab.Sample static-cache (pid 8380)".
    [GeneratedRegex(@"LeakLab\.Sample [a-z0-9-]+ \(pid (\d+)")]
    private static partial Regex SamplePid();
}
