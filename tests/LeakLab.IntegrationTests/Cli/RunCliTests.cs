using System.Text.Json.Nodes;

namespace LeakLab.IntegrationTests.Cli;

/// <summary><c>leaklab run</c>: a notebook run headless from the command line, its exit code, progress and error line.</summary>
public sealed class RunCliTests : IDisposable
{
    private const string FailingDib = """
        #!csharp
        var answer = 40 + 2;
        answer

        #!csharp
        throw new Exception("boom");

        #!csharp
        Console.WriteLine("never runs");
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string content)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_failing_cell_exits_1_naming_the_cell_and_message_and_still_writes_the_outputs()
    {
        string notebook = Write("failing.dib", FailingDib);
        string html = _folder.File("out/report.html");
        string ipynb = _folder.File("out/executed.ipynb");

        // As a real process: the leaklab executable itself must be able to compile and run the cells.
        CliResult result = await CliRun.AsProcessAsync(TimeSpan.FromMinutes(2), "run", notebook, "--html", html, "--output", ipynb);

        Assert.True(result.ExitCode == 1, result.ToString());
        string[] errors = [.. result.StderrLines.Where(l => l.StartsWith("leaklab: error:", StringComparison.Ordinal))];
        Assert.True(errors.Length == 1, result.ToString());
        Assert.Equal(errors[0], result.StderrLines[^1]);
        Assert.StartsWith("leaklab: error: cell 2 failed: ", errors[0]);
        Assert.Contains("boom", errors[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Contains(result.StderrLines, l => l.Contains("cell 1: ok", StringComparison.Ordinal)); // progress per cell
        Assert.DoesNotContain(result.StderrLines, l => l.Contains("[3/3]", StringComparison.Ordinal));

        Assert.Contains($"Wrote {html}", result.Stdout);
        Assert.Contains($"Wrote {ipynb}", result.Stdout);
        JsonArray cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();
        Assert.Equal("42", cells[0]!["outputs"]![0]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Contains(cells[1]!["outputs"]!.AsArray(), o => o!["output_type"]!.GetValue<string>() == "error");
        Assert.Contains("boom", File.ReadAllText(html));
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
        Assert.Contains("Ran passing.dib: 1 code cell(s) of 1", result.Stdout);
        Assert.DoesNotContain("error", result.Stderr);
        JsonArray cells = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray();
        Assert.Equal("55", cells[0]!["outputs"]![0]!["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public void A_missing_notebook_is_one_line() =>
        CliRun.AssertOneLineError(CliRun.InProcess("run", _folder.File("nope.ipynb")), 1, "does not exist");

    [Fact]
    public void A_file_that_is_not_a_notebook_is_one_line()
    {
        CliRun.AssertOneLineError(CliRun.InProcess("run", Write("notes.txt", "#!csharp\n1\n")), 1, "not a notebook");
        CliRun.AssertOneLineError(CliRun.InProcess("run", _folder.Path), 1, "folder");
        CliRun.AssertOneLineError(CliRun.InProcess("run", Write("broken.ipynb", "{ not json")), 1, "not valid notebook JSON");
    }

    [Fact]
    public void Output_must_be_an_ipynb_and_must_not_replace_the_notebook()
    {
        string notebook = Write("n.ipynb", """{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[]}""");
        CliRun.AssertOneLineError(CliRun.InProcess("run", notebook, "--output", _folder.File("out.dib")), 2, ".ipynb");
        CliRun.AssertOneLineError(CliRun.InProcess("run", notebook, "--output", notebook), 2, "overwrite");
    }
}
