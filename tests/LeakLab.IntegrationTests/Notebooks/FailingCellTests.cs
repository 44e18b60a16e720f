using System.Text.Json.Nodes;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// <see cref="NotebookRunner"/> in-process on the real C# kernel: a failing cell stops the run with the cell number and
/// the kernel's message, the outputs so far are kept, state continues across cells, a cell past --cell-timeout is
/// cancelled and reported.
/// </summary>
public sealed class FailingCellTests : IDisposable
{
    private readonly TempFolder _folder = new("leaklab-failing");

    public void Dispose() => _folder.Dispose();

    private async Task<(NotebookRunResult Result, JsonArray Cells, string Report, string Progress)> RunAsync(string fileName, string content, TimeSpan? cellTimeout = null)
    {
        string path = _folder.File(fileName);
        File.WriteAllText(path, content);
        var progress = new StringWriter();
        var result = await NotebookRunner.RunAsync(path, new RunOptions
        {
            HtmlReportPath = _folder.File("report.html"),
            OutputNotebookPath = _folder.File("out.ipynb"),
            Progress = progress,
            CellTimeout = cellTimeout,
        });
        var cells = JsonNode.Parse(File.ReadAllText(result.OutputNotebookPath!))!["cells"]!.AsArray();
        return (result, cells, File.ReadAllText(result.HtmlReportPath!), progress.ToString());
    }

    private static IEnumerable<JsonNode> Outputs(JsonArray cells, int index) => cells[index]!["outputs"]!.AsArray()!;

    [Fact]
    public async Task A_compile_error_stops_the_run_with_the_cell_and_the_compilers_message()
    {
        var (result, cells, report, progress) = await RunAsync("compile.dib", """
            #!csharp
            var x = 40 + 2;
            x

            #!markdown
            Some text.

            #!csharp
            var y = 1;
            var z = nosuchname + y;

            #!csharp
            Console.WriteLine("never runs");
            """);
        Assert.Equal(RunEnd.CellFailed, result.End);
        Assert.Equal(3, result.StoppedAt);
        Assert.Equal("cell 3 failed: (2,9): error CS0103: The name 'nosuchname' does not exist in the current context", result.Error);
        Assert.Equal(2, result.CellsRun);
        Assert.Contains("[3/4] cell 3: FAILED", progress);
        Assert.DoesNotContain("[4/4]", progress);

        // The kernel's own formatting of the return value (HTML, as in Jupyter and VS Code).
        Assert.Contains("<pre>42</pre>", Jupyter.Text(Outputs(cells, 0).Single()["data"]!["text/html"]));
        var error = Outputs(cells, 2).Single(o => (string?)o["output_type"] == "error");
        Assert.Equal("CompilationError", (string?)error["ename"]);
        Assert.Contains("CS0103", (string?)error["evalue"]);
        Assert.True(cells[3]!["execution_count"] is null, "the cell after the failure ran");
        Assert.Empty(Outputs(cells, 3));
        Assert.Contains("nosuchname", report);
        Assert.Contains("Stopped at cell 3 of 4", report);
        Assert.Equal(LeakLabErrorKind.Failed, Assert.Throws<LeakLabException>(result.ThrowIfFailed).Kind);
    }

    [Fact]
    public async Task A_runtime_exception_names_the_cell_and_the_message()
    {
        var (result, cells, _, _) = await RunAsync("runtime.ipynb", """
            {"cells":[
              {"cell_type":"code","metadata":{},"source":["Console.WriteLine(\"before\");\n"],"outputs":[],"execution_count":null},
              {"cell_type":"code","metadata":{},"source":["int a = 1;\n","\n","throw new InvalidOperationException(\"the cache is on fire\");\n"],"outputs":[],"execution_count":null}
            ],"metadata":{"kernelspec":{"name":".net-csharp","language":"C#","display_name":".NET (C#)"}},"nbformat":4,"nbformat_minor":5}
            """);
        Assert.Equal(2, result.StoppedAt);
        Assert.Equal("cell 2 failed: InvalidOperationException: the cache is on fire", result.Error);
        var error = Outputs(cells, 1).Single(o => (string?)o["output_type"] == "error");
        Assert.Equal("InvalidOperationException", (string?)error["ename"]);
        Assert.Contains(error["traceback"]!.AsArray(), line => ((string?)line)!.Contains("Submission#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task State_continues_across_cells_and_outputs_keep_their_order()
    {
        var (result, cells, _, _) = await RunAsync("state.dib", """
            #!meta
            {"kernelInfo":{"defaultKernelName":"csharp","items":[{"name":"csharp"}]}}

            #!csharp
            record Point(int X, int Y);
            var points = new List<Point> { new(1, 2), new(3, 4) };

            #!csharp
            Console.WriteLine("first");
            display(points.Count);
            Console.Error.WriteLine("careful");
            Console.WriteLine("second");
            points
            """);
        Assert.True(result.Succeeded, result.Error);
        var outputs = Outputs(cells, 1).ToList();
        Assert.Equal(["stream:stdout", "display_data", "stream:stderr", "stream:stdout", "execute_result"],
            outputs.Select(o => (string?)o["output_type"] == "stream" ? $"stream:{(string?)o["name"]}" : (string?)o["output_type"]));
        Assert.Contains("<pre>2</pre>", Jupyter.Text(outputs[1]["data"]!["text/html"]));
        Assert.Contains("<table>", Jupyter.Text(outputs[4]["data"]!["text/html"]));
        Assert.Equal(".net-csharp", (string?)JsonNode.Parse(File.ReadAllText(result.OutputNotebookPath!))!["metadata"]!["kernelspec"]!["name"]);
    }

    [Fact]
    public async Task A_cell_past_the_timeout_is_cancelled_reported_and_stops_the_run()
    {
        var (result, cells, report, progress) = await RunAsync("slow.dib", """
            #!csharp
            Console.WriteLine("quick");

            #!csharp
            await Task.Delay(TimeSpan.FromMinutes(10));

            #!csharp
            Console.WriteLine("never runs");
            """, cellTimeout: TimeSpan.FromSeconds(2));
        Assert.Equal(RunEnd.CellTimedOut, result.End);
        Assert.Equal(2, result.StoppedAt);
        Assert.Equal("cell 2 timed out: did not finish within 2 s (--cell-timeout); cancelled", result.Error);
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(2), $"the run took {result.Elapsed}");
        Assert.Equal("CellTimeout", (string?)Outputs(cells, 1).Single()["ename"]);
        Assert.Empty(Outputs(cells, 2));
        Assert.Contains("[2/3] cell 2: TIMED OUT", progress);
        Assert.Contains("quick", report);
    }

    [Fact]
    public async Task Bad_notebook_files_are_one_line_errors()
    {
        string broken = _folder.File("broken.ipynb");
        File.WriteAllText(broken, "{ not json");
        Assert.Equal(LeakLabErrorKind.TruncatedOrCorrupt, (await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(broken))).Kind);
        File.WriteAllText(broken, """{"nbformat":3,"cells":[]}""");
        Assert.Equal(LeakLabErrorKind.NotADump, (await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(broken))).Kind);
        Assert.Equal(LeakLabErrorKind.FileMissing, (await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(_folder.File("missing.ipynb")))).Kind);
        File.WriteAllText(_folder.File("notes.txt"), "#!csharp\n1\n");
        Assert.Equal(LeakLabErrorKind.NotADump, (await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(_folder.File("notes.txt")))).Kind);
    }
}
