using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace LeakLab.IntegrationTests.Notebooks;

/// <summary>
/// Jupyter's own client (nbconvert and nbclient, Debian's packages) on the dotnet-interactive <c>.net-csharp</c> kernel:
/// executes a notebook as `jupyter nbconvert --execute` does for a user, and exports the result to HTML.
/// </summary>
internal static class Jupyter
{
    public const string KernelName = ".net-csharp";

    /// <summary>
    /// Executes <paramref name="notebook"/> (the kernel starts in the notebook's folder, as in Jupyter) and returns the
    /// executed notebook's path. Any cell error fails the test naming the cell, its first line and the error.
    /// </summary>
    public static async Task<string> ExecuteAsync(string notebook, string outputDir, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        string name = Path.GetFileNameWithoutExtension(notebook) + ".jupyter.ipynb";
        // --allow-errors: the executed notebook is written even when a cell fails, so the failure can name the cell
        // and carry the compiler's diagnostics (nbconvert's own message says only "compilation error").
        using var run = ChildProcess.Start("jupyter",
            ["nbconvert", "--to", "notebook", "--execute", "--allow-errors", $"--ExecutePreprocessor.kernel_name={KernelName}",
             "--ExecutePreprocessor.timeout=150", "--output-dir", outputDir, "--output", name, notebook],
            Path.GetDirectoryName(notebook)!, environment);
        int exit = await run.WaitAsync(timeout);
        string executed = Path.Combine(outputDir, name);
        if (exit != 0 || !File.Exists(executed))
            throw new XunitException($"jupyter nbconvert --execute {Path.GetFileName(notebook)} failed (exit {exit}); is the kernel installed (scripts/install-test-deps.sh)?\n{Tail(run.Stderr)}");
        if (FirstError(executed) is { } error)
            throw new XunitException($"{Path.GetFileName(notebook)} failed in Jupyter: {error}");
        return executed;
    }

    /// <summary>
    /// A failure of the kernel rather than of a cell's code: the kernel died (at start, when two kernels race for one HTTP
    /// port). A cell that times out is not this: it is a hang in LeakLab or the notebook and fails the test.
    /// </summary>
    public static bool IsKernelDeath(string message) =>
        message.Contains("Kernel died", StringComparison.Ordinal) || message.Contains("DeadKernelError", StringComparison.Ordinal);

    /// <summary>nbconvert's HTML export of an executed notebook (the page a user shares); returns its path.</summary>
    public static async Task<string> ToHtmlAsync(string executed, TimeSpan timeout)
    {
        using var run = ChildProcess.Start("jupyter", ["nbconvert", "--to", "html", executed], Path.GetDirectoryName(executed)!);
        int exit = await run.WaitAsync(timeout);
        string html = Path.ChangeExtension(executed, ".html");
        Assert.True(exit == 0 && File.Exists(html), $"jupyter nbconvert --to html failed (exit {exit})\n{Tail(run.Stderr)}");
        return html;
    }

    /// <summary>The first error output of an executed notebook as one message (cell number, first line, error, stderr), or null.</summary>
    public static string? FirstError(string executedNotebook)
    {
        var cells = JsonNode.Parse(File.ReadAllText(executedNotebook))!["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            var outputs = cells[i]!["outputs"]?.AsArray() ?? [];
            var error = outputs.FirstOrDefault(o => (string?)o!["output_type"] == "error");
            if (error is null)
                continue;
            string source = Text(cells[i]!["source"]).Split('\n').FirstOrDefault(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("//", StringComparison.Ordinal)) ?? "";
            string stderr = string.Join(" ", outputs.Where(o => (string?)o!["output_type"] == "stream" && (string?)o!["name"] == "stderr").Select(o => Text(o!["text"]).Trim()));
            return $"cell {i + 1} (`{source.Trim()}`): {(string?)error["ename"]}: {(string?)error["evalue"]}{(stderr.Length > 0 ? $" [{stderr}]" : "")}";
        }
        return null;
    }

    /// <summary>A notebook field that is a string or an array of lines.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        null => "",
        _ => (string?)node ?? "",
    };

    private static string Tail(string text) => text.Length > 4000 ? "…" + text[^4000..] : text;
}
