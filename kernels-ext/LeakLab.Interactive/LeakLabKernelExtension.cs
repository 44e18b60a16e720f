using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace LeakLab.Interactive;

/// <summary>
/// LeakLab in a .NET Interactive kernel: the <c>#!leaklab</c> magic command (one handler per subcommand, the kernel
/// dispatches by the invoked path), HTML/text formatters for every LeakLab result, and the usings of
/// <see cref="ImportCode"/> in the C# kernel. The package's extension.dib calls <see cref="LoadAsync"/>; so can any host that embeds a kernel.
/// </summary>
public sealed class LeakLabKernelExtension : IKernelExtension
{
    private static readonly ConditionalWeakTable<Kernel, KernelState> s_loaded = [];

    /// <summary>Same as <see cref="LoadAsync"/>, for hosts that look for <see cref="IKernelExtension"/>.</summary>
    public Task OnLoadAsync(Kernel kernel) => LoadAsync(kernel);

    /// <summary>
    /// Registers everything on <paramref name="kernel"/>'s root kernel. A second call for the same root does nothing.
    /// Needs a C# kernel among the root's kernels (for <see cref="ImportCode"/> and <c>--to</c> variables).
    /// </summary>
    public static async Task LoadAsync(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Kernel root = kernel.RootKernel;
        if (s_loaded.TryGetValue(root, out _))
            return;
        var state = new KernelState(root);
        s_loaded.AddOrUpdate(root, state);

        ResultFormatters.Register();
        MagicDirectives.Register(root, state);
        root.AddMiddleware(state.SkipClaimedSqlAsync);

        // The namespace a notebook needs (Lab, LeakLabSession, ChartKind ...); types only, no variables. Not from inside
        // a running C# submission (extension.dib's cell): the C# kernel would drop it when that submission ends, so the
        // .dib submits it as its next cell instead.
        if (state.CSharpKernelName is { } csharp && !InsideSubmission())
            await root.SendAsync(new SubmitCode(ImportCode, csharp));

        if (KernelInvocationContext.Current is { } context)
            KernelInvocationContextExtensions.Display(context, LoadedMessage, "text/plain");
    }

    /// <summary>
    /// What <see cref="LoadAsync"/> submits to the C# kernel (extension.dib submits the same lines itself): the namespaces
    /// of the types a notebook meets (the session, its results and their rows, watch options, errors).
    /// </summary>
    public const string ImportCode = """
        using LeakLab.Notebooks.Session;
        using LeakLab.Notebooks.Results;
        using LeakLab.Capture.Live;
        using LeakLab.Core.Analysis;
        using LeakLab.Core.Graph;
        using LeakLab.Core.Inspections;
        using LeakLab.Core.Errors;
        """;

    private static bool InsideSubmission()
    {
        for (KernelCommand? command = KernelInvocationContext.Current?.Command; command is not null; command = command.Parent)
        {
            if (command is SubmitCode)
                return true;
        }
        return false;
    }

    /// <summary>The line shown once the extension is loaded.</summary>
    public static string LoadedMessage =>
        $"LeakLab {typeof(LeakLabKernelExtension).Assembly.GetName().Version?.ToString(3)} is loaded: `#!leaklab help` lists the magic commands; `Lab.Current` is the session from C#.";

    /// <summary>The per-root state of a loaded kernel, or null when LeakLab is not loaded there (formatters use it).</summary>
    internal static KernelState? StateOf(Kernel? kernel) =>
        kernel is not null && s_loaded.TryGetValue(kernel.RootKernel, out var state) ? state : null;
}
