using System.Text.RegularExpressions;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// <c>leaklab run FOLDER --html DIR</c> beyond the curated notebooks (NotebookHostsTests runs those): a failing
/// notebook does not stop the others, the exit code is 1 naming it, the index shows each status and links each report;
/// and the folder mode's usage errors. Plain C# notebooks, no package: each child run costs a kernel start only.
/// </summary>
public sealed class RunFolderCliTests : IDisposable
{
    private readonly TempFolder _folder = new("leaklab-runfolder");

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string content)
    {
        string path = _folder.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_folder_with_a_failing_notebook_runs_all_exits_1_naming_it_and_indexes_both()
    {
        Write("nbs/a-passing.dib", "#!markdown\n# Passing\n\n#!csharp\nEnumerable.Range(1, 10).Sum()\n");
        Write("nbs/b-failing.dib", "#!csharp\nvar x = 1;\n\n#!csharp\nthrow new InvalidOperationException(\"boom <b>\");\n");
        Write("nbs/notes.txt", "not a notebook");
        string reports = _folder.File("reports");

        CliResult result = await CliRun.AsProcessAsync(TimeSpan.FromMinutes(4), "run", _folder.File("nbs"), "--html", reports, "--parallel", "2");

        Assert.True(result.ExitCode == 1, result.ToString());
        // One error message, last on stderr; it wraps at 100 columns, its later lines indented.
        string[] lines = [.. result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
        int first = Array.FindIndex(lines, l => l.StartsWith("leaklab: error:", StringComparison.Ordinal));
        Assert.True(first >= 0 && lines.Skip(first + 1).All(l => l.StartsWith("  ", StringComparison.Ordinal)), result.ToString());
        string error = string.Join(' ', lines.Skip(first).Select(l => l.Trim()));
        Assert.StartsWith("leaklab: error: 1 of 2 notebooks failed: b-failing.dib (cell 2 failed: ", error);
        Assert.Contains("boom", error);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Contains($"Wrote {Path.Combine(reports, "index.html")}", result.Stdout);
        Assert.Contains(result.StderrLines, l => Regex.IsMatch(l, @"^leaklab: \[\d/2\] a-passing\.dib: ok \(\d+\.\d s\)$")); // progress per notebook

        string index = File.ReadAllText(Path.Combine(reports, "index.html"));
        Assert.Contains("2 notebook(s) from", index);
        Assert.Contains("1 ok, 1 failed", index);
        Assert.Matches(@"<a href=""a-passing\.html"">a-passing\.dib</a></td><td class=""ll-ok"">ok</td><td>\d+\.\d s</td>", index);
        Assert.Matches(@"<a href=""b-failing\.html"">b-failing\.dib</a></td><td class=""ll-failed"">failed: cell 2 failed: [^<]*boom &lt;b&gt;", index);
        Assert.DoesNotContain("notes.txt", index);
        foreach (string name in new[] { "a-passing", "b-failing" })
        {
            Assert.True(File.Exists(Path.Combine(reports, name + ".html")), $"{name}.html missing");
            Assert.True(File.Exists(Path.Combine(reports, name + ".log")), $"{name}.log missing");
        }
        string passing = File.ReadAllText(Path.Combine(reports, "a-passing.html"));
        Assert.Matches(new Regex(@"Run on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC on [^;]+; target: none recorded"), passing);
        Assert.Contains("<h1>Passing</h1>", passing);
    }

    [Fact]
    public void Folder_mode_usage_errors_are_one_line()
    {
        string empty = Directory.CreateDirectory(_folder.File("empty")).FullName;
        string nbs = Path.GetDirectoryName(Write("nbs/n.ipynb", """{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[]}"""))!;
        CliRun.AssertOneLineError(CliRun.InProcess("run", nbs), 2, "needs --html DIR");
        CliRun.AssertOneLineError(CliRun.InProcess("run", nbs, "--html", _folder.File("r.html")), 2, "names a folder for the reports");
        CliRun.AssertOneLineError(CliRun.InProcess("run", nbs, "--html", _folder.File("r"), "--output", _folder.File("x.ipynb")), 2, "names a folder for the executed notebooks");
        CliRun.AssertOneLineError(CliRun.InProcess("run", nbs, "--html", _folder.File("r"), "--parallel", "0"), 2, "--parallel takes");
        CliRun.AssertOneLineError(CliRun.InProcess("run", Path.Combine(nbs, "n.ipynb"), "--parallel", "2"), 2, "--parallel is for a folder");
        CliRun.AssertOneLineError(CliRun.InProcess("run", empty, "--html", _folder.File("r")), 1, "holds no notebook");
    }
}
