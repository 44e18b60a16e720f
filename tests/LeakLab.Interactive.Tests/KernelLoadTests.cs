using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace LeakLab.Interactive.Tests;

/// <summary>Loading the package's extension.dib into a fresh real kernel: what a user can do in the very next cell.</summary>
public class KernelLoadTests
{
    [Fact]
    public async Task LabIsUsableInTheNextCellWithoutAnyUsing()
    {
        var previous = Lab.Current;
        using var kernel = await InProcessKernel.CreateWithLeakLabAsync();
        try
        {
            var run = (await kernel.RunAsync("""
                var lab = LeakLab.Notebooks.Session.Lab.Current;
                var session = await Lab.Open();
                (object.ReferenceEquals(session, Lab.Current), session.Snapshots.Count, typeof(ChartKind).Name, typeof(TypeStat).Name, typeof(LiveWatchOptions).Name)
                """)).AssertSucceeded();
            Assert.Equal((true, 0, "ChartKind", "TypeStat", "LiveWatchOptions"), run.ReturnValue);
        }
        finally
        {
            var opened = Lab.Current;
            Lab.Current = previous;
            if (!ReferenceEquals(opened, previous))
                opened.Dispose();
        }
    }

    [Fact]
    public void ExtensionDibImportsWhatLoadAsyncImports()
    {
        // Jupyter and VS Code run extension.dib; hosts that call LoadAsync get ImportCode: both must give a notebook the same names.
        string[] dib = [.. File.ReadLines(InProcessKernel.ExtensionDibPath).Select(l => l.Trim()).Where(l => l.StartsWith("using ", StringComparison.Ordinal))];
        string[] code = [.. LeakLabKernelExtension.ImportCode.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
        Assert.Equal(code, dib);
        Assert.Contains("using LeakLab.Notebooks.Session;", code);
    }

    [Fact]
    public async Task WithoutLeakLabTheMagicCommandIsUnknown()
    {
        using var kernel = InProcessKernel.CreateBare();
        string error = (await kernel.RunAsync("#!leaklab help")).AssertFailed();
        Assert.Contains("#!leaklab", error);
    }

    [Fact]
    public async Task LoadingTwiceRegistersOnce()
    {
        using var kernel = await InProcessKernel.CreateWithLeakLabAsync();
        foreach (string cell in InProcessKernel.LoadCells())
            (await kernel.RunAsync(cell)).AssertSucceeded();
        var help = (await kernel.RunAsync("#!leaklab help")).AssertSucceeded();
        Assert.Single(help.Html);
    }

    [Fact]
    public async Task TheKernelCompletesSubcommandsAndTheirOptions()
    {
        using var kernel = await InProcessKernel.CreateWithLeakLabAsync();
        var subcommands = await Completions(kernel, "#!leaklab ");
        Assert.Equal(MagicCommandRegistry.Default.Subcommands.Select(s => s.Name), subcommands);
        var options = await Completions(kernel, "#!leaklab stats ");
        Assert.Equal(["--top", "--type", "--retained", "--to"], options);
    }

    private static async Task<List<string>> Completions(InProcessKernel kernel, string code)
    {
        var result = await kernel.SendAsync(new RequestCompletions(code, new Microsoft.DotNet.Interactive.LinePosition(0, code.Length), "csharp"));
        return [.. result.Events.OfType<CompletionsProduced>().SelectMany(c => c.Completions).Select(c => c.InsertText ?? c.DisplayText)];
    }
}
