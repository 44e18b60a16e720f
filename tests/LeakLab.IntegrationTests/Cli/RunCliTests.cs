using System.Diagnostics;
using System.Text.Json.Nodes;
using LeakLab.IntegrationTests.Notebooks;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// <c>leaklab run</c> as users run it: exit codes, progress and the one error line, --cell-timeout, Ctrl+C/SIGTERM
/// during a cell that never yields, and a sample program stopped when a later cell fails.
/// </summary>
[Collection(NotebookPackageFixture.Collection)]
public sealed class RunCliTests(NotebookPackageFixture package) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string content)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_failing_cell_exits_1_naming_the_cell_and_stops_the_sample_the_notebook_started()
    {
        // Loads the package as the README says, starts a sample, then fails: the sample must not outlive the run.
        string notebook = Write("failing.dib", """
            #!csharp
            #r "nuget: LeakLab.Interactive, 0.1.0-*"
            using LeakLab.Notebooks.Session;

            #!csharp
            var sample = await Lab.Current.StartSampleAsync("control", "--parent-pid", Environment.ProcessId.ToString());
            Console.WriteLine($"sample pid {sample.Pid}");

            #!csharp
            throw new Exception("boom");

            #!csharp
            Console.WriteLine("never runs");
            """);
        string html = _folder.File("out/report.html"), ipynb = _folder.File("out/executed.ipynb");

        using var run = ChildProcess.LeakLab(["run", notebook, "--html", html, "--output", ipynb], _folder.Path, package.Environment);
        int exit = await run.WaitAsync(TimeSpan.FromMinutes(4));

        var result = new CliResult(exit, run.Stdout, run.Stderr);
        Assert.True(exit == 1, result.ToString());
        string[] errors = [.. result.StderrLines.Where(l => l.StartsWith("leaklab: error:", StringComparison.Ordinal))];
        Assert.True(errors.Length == 1, result.ToString());
        Assert.Equal(errors[0], result.StderrLines[^1]);
        Assert.Equal("leaklab: error: cell 3 failed: Exception: boom", errors[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Contains(result.StderrLines, l => l.Contains("cell 2: ok", StringComparison.Ordinal)); // progress per cell
        Assert.DoesNotContain(result.StderrLines, l => l.Contains("[4/4]", StringComparison.Ordinal));
        Assert.Contains($"Wrote {html}", result.Stdout);
        Assert.Contains($"Wrote {ipynb}", result.Stdout);

        JsonArray cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();
        Assert.Contains(cells[0]!["outputs"]!.AsArray(), o => Jupyter.Text(o!["data"]?["text/plain"]).Contains("LeakLab", StringComparison.Ordinal) && Jupyter.Text(o!["data"]?["text/plain"]).Contains("is loaded", StringComparison.Ordinal));
        string printed = Jupyter.Text(cells[1]!["outputs"]![0]!["text"]);
        int pid = int.Parse(printed.Trim()["sample pid ".Length..]);
        Assert.Contains(cells[2]!["outputs"]!.AsArray(), o => (string?)o!["output_type"] == "error");
        Assert.Contains("boom", File.ReadAllText(html));
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("LeakLab.Sample", StringComparison.Ordinal),
            $"the sample (pid {pid}) still runs after leaklab run ended");
    }

    [Fact]
    public async Task Sigterm_during_a_cell_that_never_yields_writes_the_report_and_exits_130_within_seconds()
    {
        // The cell spins and starts a foreground thread that spins too: nothing cooperative can stop it.
        string notebook = Write("spin.dib", """
            #!csharp
            Console.WriteLine("before the spin");

            #!csharp
            new System.Threading.Thread(() => { while (true) { } }) { IsBackground = false }.Start();
            while (true) { }

            #!csharp
            Console.WriteLine("never runs");
            """);
        string html = _folder.File("spin.html"), ipynb = _folder.File("spin.ipynb");

        using var run = ChildProcess.LeakLab(["run", notebook, "--html", html, "--output", ipynb], _folder.Path);
        Assert.True(await run.WaitForStderrAsync("cell 1: ok", TimeSpan.FromMinutes(2)), $"cell 1 never finished\n{run}");
        await Task.Delay(500); // cell 2 is spinning now
        var clock = Stopwatch.StartNew();
        run.Signal(ChildProcess.SIGTERM);
        int exit = await run.WaitAsync(TimeSpan.FromSeconds(30));
        TimeSpan stopped = clock.Elapsed;

        Assert.True(exit == 130, $"exit {exit}\n{run}");
        Assert.True(stopped < TimeSpan.FromSeconds(10), $"leaklab run took {stopped.TotalSeconds:0.0} s to stop after SIGTERM");
        Assert.Contains("leaklab: cancelled: cancelled at cell 2", run.Stderr);
        JsonArray cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();
        Assert.Contains("before the spin", Jupyter.Text(cells[0]!["outputs"]![0]!["text"]));
        Assert.Equal("Cancelled", (string?)cells[1]!["outputs"]!.AsArray().Single(o => (string?)o!["output_type"] == "error")!["ename"]);
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
        string report = File.ReadAllText(html);
        Assert.Contains("Cancelled at cell 2 of 3", report);
        Assert.Contains("before the spin", report);
    }

    [Fact]
    public void A_cell_past_the_timeout_exits_1_naming_the_cell()
    {
        string notebook = Write("slow.dib", """
            #!csharp
            await Task.Delay(TimeSpan.FromMinutes(10));
            """);
        CliResult result = CliRun.InProcess("run", notebook, "--cell-timeout", "1.5");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("leaklab: error: cell 1 timed out: did not finish within 1.5 s (--cell-timeout); cancelled", result.StderrLines[^1]);
        Assert.Single(result.StderrLines, l => l.StartsWith("leaklab: error:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_passing_notebook_exits_0()
    {
        string notebook = Write("passing.dib", """
            #!csharp
            var total = Enumerable.Range(1, 10).Sum();
            total
            """);
        string ipynb = _folder.File("passing.executed.ipynb");

        CliResult result = CliRun.InProcess("run", notebook, "--output", ipynb);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Ran passing.dib: 1 of 1 code cell in", result.Stdout);
        Assert.DoesNotContain("error", result.Stderr);
        JsonArray cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();
        Assert.Contains("<pre>55</pre>", Jupyter.Text(cells[0]!["outputs"]![0]!["data"]!["text/html"]));
    }

    [Fact]
    public void A_missing_notebook_is_one_line() =>
        CliRun.AssertOneLineError(CliRun.InProcess("run", _folder.File("nope.ipynb")), 1, "does not exist");

    [Fact]
    public void A_file_that_is_not_a_notebook_is_one_line()
    {
        CliRun.AssertOneLineError(CliRun.InProcess("run", Write("notes.txt", "#!csharp\n1\n")), 1, "not a notebook");
        CliRun.AssertOneLineError(CliRun.InProcess("run", _folder.Path), 2, "a folder of notebooks needs --html DIR");
        CliRun.AssertOneLineError(CliRun.InProcess("run", Write("broken.ipynb", "{ not json")), 1, "not valid notebook JSON");
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        string notebook = Write("n.ipynb", """{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[]}""");
        CliRun.AssertOneLineError(CliRun.InProcess("run", notebook, "--output", _folder.File("out.dib")), 2, ".ipynb");
        CliRun.AssertOneLineError(CliRun.InProcess("run", notebook, "--output", notebook), 2, "overwrite");
        CliRun.AssertOneLineError(CliRun.InProcess("run", notebook, "--cell-timeout", "0"), 2, "--cell-timeout takes seconds");
        CliRun.AssertOneLineError(CliRun.InProcess("run", notebook, "--cell-timeout", "soon"), 2, "--cell-timeout");
    }
}
