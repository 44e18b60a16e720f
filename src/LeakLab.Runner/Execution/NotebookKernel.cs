using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace LeakLab.Runner.Execution;

/// <summary>
/// The in-process kernel a notebook runs on, configured like the C# part of the dotnet-interactive tool's kernel
/// (src/dotnet-interactive/KernelBuilder.cs at 1.0.712001): a <see cref="CompositeKernel"/> holding a
/// <see cref="CSharpKernel"/> with <c>#r "nuget:…"</c>/<c>#i</c>, the kernel helpers (<c>display</c>), value sharing,
/// <c>#!who</c>, <c>#!import</c>, and the tool's hook that runs a package's <c>interactive-extensions/dotnet</c>
/// after <c>#r "nuget:…"</c> added it. What passes here passes in Jupyter and VS Code, and the other way round.
/// </summary>
internal static class NotebookKernel
{
    public const string CSharp = "csharp";
    public const string Markdown = "markdown";

    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, packages) =>
            {
                // The tool's CSharpKernel.UseNugetDirective(): reference every assembly of the restored packages.
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();

        var composite = new CompositeKernel();
        composite.Add(csharp, ["c#", "C#"]);
        composite.UseImportMagicCommand();
        composite.UsePackageExtensions();
        composite.DefaultKernelName = CSharp;

        // The tool does this for browser front ends (Jupyter, VS Code): HTML first, strings as plain text.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        return composite;
    }

    /// <summary>The kernel names a notebook's cells may carry (with aliases), plus markdown, for the notebook readers.</summary>
    public static KernelInfoCollection KernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new Microsoft.DotNet.Interactive.Documents.KernelInfo(CSharp, languageName: "C#", aliases: ["c#", "C#", "cs"]),
            new Microsoft.DotNet.Interactive.Documents.KernelInfo(Markdown, languageName: "Markdown", aliases: ["md"]),
        };
        infos.DefaultKernelName = CSharp;
        return infos;
    }
}
