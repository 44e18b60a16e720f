using LeakLab.IntegrationTests;
using LeakLab.IntegrationTests.Notebooks;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace LeakLab.Interactive.Tests;

/// <summary>
/// The real .NET Interactive kernel in this process (a CompositeKernel holding a CSharpKernel, as the dotnet-interactive
/// tool builds it) with LeakLab loaded the way the package does it: every lib/ assembly referenced with #r, then the
/// package's own extension.dib run (the kernel library does not run it itself; the tool does). Events are read from each
/// SendAsync result.
/// </summary>
internal sealed class InProcessKernel : IDisposable
{
    private readonly CompositeKernel _kernel;

    private InProcessKernel(CompositeKernel kernel) => _kernel = kernel;

    public static string ExtensionDibPath => Path.Combine(RepoPaths.Root, "kernels-ext", "LeakLab.Interactive", "extension.dib");

    /// <summary>A kernel with nothing loaded.</summary>
    public static InProcessKernel CreateBare()
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        composite.UseImportMagicCommand();
        return new InProcessKernel(composite);
    }

    /// <summary>A kernel with LeakLab loaded: fails the test with the kernel's message if loading fails.</summary>
    public static async Task<InProcessKernel> CreateWithLeakLabAsync()
    {
        var kernel = CreateBare();
        try
        {
            foreach (string cell in LoadCells())
                (await kernel.RunAsync(cell)).AssertSucceeded();
            return kernel;
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a package's lib/ gives a user (#r of each assembly, one cell), then the package's extension.dib (the next
    /// cell). One cell holding both ran neither in this kernel.
    /// </summary>
    public static string[] LoadCells()
    {
        string bin = AppContext.BaseDirectory;
        var references = Directory.GetFiles(bin, "LeakLab.*.dll")
            .Where(f => !Path.GetFileName(f).Contains("Tests", StringComparison.Ordinal) && !Path.GetFileName(f).Contains("Sample", StringComparison.Ordinal))
            .Append(typeof(Microsoft.Data.Analysis.DataFrame).Assembly.Location)
            .Select(f => $"#r \"{f}\"");
        return [string.Join('\n', references), $"#!import \"{ExtensionDibPath}\""];
    }

    /// <summary>Submits one cell as a notebook does and collects what it produced.</summary>
    public async Task<CellRun> RunAsync(string code, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        KernelCommandResult result = await _kernel.SendAsync(new SubmitCode(code), cts.Token);
        return new CellRun(code, result.Events);
    }

    /// <summary>Sends any command (completions, hover) to the root kernel.</summary>
    public Task<KernelCommandResult> SendAsync(KernelCommand command) => _kernel.SendAsync(command);

    public void Dispose() => _kernel.Dispose();
}

/// <summary>The events of one cell: failure message, displayed and returned values by MIME type.</summary>
internal sealed class CellRun(string code, IReadOnlyList<KernelEvent> events)
{
    public IReadOnlyList<KernelEvent> Events { get; } = events;

    /// <summary>The kernel's message when the cell failed, else null.</summary>
    public string? Error => Events.OfType<CommandFailed>().FirstOrDefault()?.Message;

    /// <summary>Every text/html output (displayed values and the return value), in order.</summary>
    public IReadOnlyList<string> Html => Values("text/html");

    /// <summary>Every text/plain output, in order.</summary>
    public IReadOnlyList<string> Text => Values("text/plain");

    public IReadOnlyList<string> Values(string mimeType) =>
    [
        .. Events.OfType<DisplayEvent>()
            .SelectMany(e => e.FormattedValues)
            .Where(v => v.MimeType == mimeType)
            .Select(v => v.Value),
    ];

    /// <summary>The value a C# cell's last expression returned.</summary>
    public object? ReturnValue => Events.OfType<ReturnValueProduced>().LastOrDefault()?.Value;

    public CellRun AssertSucceeded()
    {
        Assert.True(Error is null, $"cell failed: {Error}\n--- cell ---\n{code}");
        return this;
    }

    public string AssertFailed()
    {
        Assert.True(Error is not null, $"cell should have failed but produced: {string.Join(" | ", Text)}\n--- cell ---\n{code}");
        return Error!;
    }
}
