using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace LeakLab.Runner;

/// <summary>
/// One continuing Roslyn script state for a whole notebook (RunAsync for the first submission, ContinueWithAsync
/// after), the same engine as the .NET Interactive C# kernel, with every LeakLab assembly referenced and imported.
/// </summary>
internal sealed class ScriptHost
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(CreateReferences);

    private static readonly string[] s_imports =
    [
        "System", "System.IO", "System.Linq", "System.Text", "System.Collections.Generic", "System.Threading",
        "System.Threading.Tasks", "System.Diagnostics", "LeakLab",
    ];

    private static readonly string[] s_leakLabAssemblies =
    [
        "LeakLab.Core", "LeakLab.Capture", "LeakLab.Dumps", "LeakLab.Presentation", "LeakLab.Query", "LeakLab.Notebooks", "LeakLab.Runner",
    ];

    private readonly ScriptOptions _options;
    private readonly NotebookGlobals _globals;
    private ScriptState<object>? _state;

    public ScriptHost(NotebookGlobals globals)
    {
        _globals = globals;
        _options = ScriptOptions.Default
            .WithReferences(s_references.Value)
            .WithImports(s_imports)
            .WithEmitDebugInformation(false)
            .WithOptimizationLevel(OptimizationLevel.Release);
    }

    /// <summary>Runs a submission; returns its value (null for statements). Compile errors throw CompilationErrorException.</summary>
    public async Task<object?> RunAsync(string code, CancellationToken cancellationToken)
    {
        _state = _state is null
            ? await CSharpScript.RunAsync(code, _options, _globals, typeof(NotebookGlobals), cancellationToken)
            : await _state.ContinueWithAsync(code, _options, cancellationToken);
        return _state.ReturnValue;
    }

    private static ImmutableArray<MetadataReference> CreateReferences()
    {
        // The framework: the trusted platform assemblies that live in the runtime directory (not the host's own
        // dependencies, which would make names like "Assert" ambiguous when a test host runs the notebook).
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        // LeakLab's libraries by name: the Runner references them all, so they are loadable wherever it runs.
        foreach (string name in s_leakLabAssemblies)
            paths.Add(System.Reflection.Assembly.Load(name).Location);
        return [.. paths.Where(File.Exists).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
