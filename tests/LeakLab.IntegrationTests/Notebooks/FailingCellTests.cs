using System.Text.Json.Nodes;
using LeakLab;
using Xunit;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>A failing cell stops the run, and the error names the cell number, the line and the message.</summary>
public class FailingCellTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-failing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(NotebookRunResult Result, JsonObject Executed, string Report, string Progress)> RunAsync(string fileName, string content)
    {
        string path = Path.Combine(_dir, fileName);
        File.WriteAllText(path, content);
        var progress = new StringWriter();
        var result = await NotebookRunner.RunAsync(path, new RunOptions
        {
            HtmlReportPath = Path.Combine(_dir, "report.html"),
            OutputNotebookPath = Path.Combine(_dir, "out.ipynb"),
            Progress = progress,
        });
        return (result, JsonNode.Parse(File.ReadAllText(result.OutputNotebookPath!))!.AsObject(), File.ReadAllText(result.HtmlReportPath!), progress.ToString());
    }

    [Fact]
    public async Task CompileErrorStopsTheRunWithCellAndLine()
    {
        var (result, executed, report, progress) = await RunAsync("compile.dib", """
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
        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCell);
        Assert.StartsWith("cell 3 failed: line 2: CS0103: The name 'nosuchname' does not exist", result.Error);
        Assert.Equal(2, result.CellsRun);
        Assert.Contains("[3/4] cell 3: FAILED", progress);
        Assert.DoesNotContain("[4/4]", progress);

        var cells = executed["cells"]!.AsArray();
        Assert.Equal("42", cells[0]!["outputs"]![0]!["data"]!["text/plain"]!.GetValue<string>());
        var error = cells[2]!["outputs"]!.AsArray().Single(o => o!["output_type"]!.GetValue<string>() == "error")!;
        Assert.Contains("CS0103", error["evalue"]!.GetValue<string>());
        Assert.Null(cells[3]!["execution_count"]);
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
        Assert.Contains("nosuchname", report);
        Assert.Contains("Stopped at cell 3 of 4", report);
        var thrown = Assert.Throws<LeakLabException>(result.ThrowIfFailed);
        Assert.Contains("cell 3 failed", thrown.Message);
    }

    [Fact]
    public async Task RuntimeExceptionNamesCellLineAndMessage()
    {
        var (result, _, _, _) = await RunAsync("runtime.ipynb", """
            {"cells":[
              {"cell_type":"code","metadata":{},"source":["Console.WriteLine(\"before\");\n"],"outputs":[],"execution_count":null},
              {"cell_type":"code","metadata":{},"source":["int a = 1;\n","\n","throw new InvalidOperationException(\"the cache is on fire\");\n"],"outputs":[],"execution_count":null}
            ],"metadata":{"kernelspec":{"name":".net-csharp","language":"C#","display_name":".NET (C#)"}},"nbformat":4,"nbformat_minor":5}
            """);
        Assert.Equal(2, result.FailedCell);
        Assert.Equal("cell 2 failed: InvalidOperationException: the cache is on fire", result.Error);
    }

    [Fact]
    public async Task BadMagicCommandFailsWithItsUsage()
    {
        var (result, executed, _, _) = await RunAsync("magic.dib", """
            #!csharp
            var before = 1;
            #!leaklab stats --bogus 3
            """);
        Assert.Equal(1, result.FailedCell);
        Assert.Contains("cell 1 failed: line 2: #!leaklab stats: unknown option '--bogus'. Usage: #!leaklab stats [SNAPSHOT]", result.Error);
        Assert.Equal("LeakLabException", executed["cells"]![0]!["outputs"]![0]!["ename"]!.GetValue<string>());
    }

    [Fact]
    public async Task StateContinuesAcrossCellsAndOutputsKeepTheirOrder()
    {
        var (result, executed, _, _) = await RunAsync("state.dib", """
            #!meta
            {"kernelInfo":{"defaultKernelName":"csharp","items":[{"name":"csharp"}]}}

            #!csharp
            #r "nuget: LeakLab.Interactive, 0.1.0"
            record Point(int X, int Y);
            var points = new List<Point> { new(1, 2), new(3, 4) };

            #!csharp
            Console.WriteLine("first");
            display(points.Count);
            Console.WriteLine("second");
            points
            """);
        Assert.True(result.Succeeded, result.Error);
        var outputs = executed["cells"]![1]!["outputs"]!.AsArray();
        Assert.Equal(["stream", "display_data", "stream", "execute_result"], outputs.Select(o => o!["output_type"]!.GetValue<string>()));
        Assert.Equal("2", outputs[1]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Contains("<table", outputs[3]!["data"]!["text/html"]!.GetValue<string>());
        var note = executed["cells"]![0]!["outputs"]![0]!;
        Assert.Contains("ignored `#r \"nuget: LeakLab.Interactive, 0.1.0\"`", note["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task NotANotebookIsAOneLineError()
    {
        string path = Path.Combine(_dir, "broken.ipynb");
        File.WriteAllText(path, "{ not json");
        var error = await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(path));
        Assert.Contains("is not valid notebook JSON", error.Message);
        await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(Path.Combine(_dir, "missing.ipynb")));
        await Assert.ThrowsAsync<LeakLabException>(() => NotebookRunner.RunAsync(path.Replace(".ipynb", ".txt")));
    }
}
