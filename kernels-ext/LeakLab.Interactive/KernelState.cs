using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace LeakLab.Interactive;

/// <summary>
/// What LeakLab remembers per root kernel: how far each cell's <c>#!leaklab</c> lines have been handled, the SQL
/// bodies a <c>#!leaklab sql</c> took from the lines below it (so the C# kernel never sees them), and whether this kernel
/// session already sent plotly.js with a chart.
/// </summary>
internal sealed class KernelState
{
    private readonly ConditionalWeakTable<KernelCommand, CellDirectives> _cells = [];
    private readonly List<(WeakReference<KernelCommand> Cell, string Body)> _claimedSql = [];
    private readonly Lock _gate = new();

    public KernelState(Kernel root)
    {
        Root = root;
        CSharpKernelName = FindCSharpKernel(root)?.Name;
    }

    public Kernel Root { get; }

    /// <summary>The C# kernel's name ("csharp"), or null when the root holds none.</summary>
    public string? CSharpKernelName { get; }

    /// <summary>True once a chart output carried plotly.js in this kernel session; later charts only draw.</summary>
    public bool PlotlySent { get; set; }

    /// <summary>The cell a directive command came from and the index of its next unhandled <c>#!leaklab</c> line.</summary>
    public CellDirectives CellOf(KernelCommand directiveCommand)
    {
        KernelCommand? cell = directiveCommand.Parent;
        while (cell is not null && cell is not SubmitCode)
            cell = cell.Parent;
        if (cell is not SubmitCode submit)
            return CellDirectives.Standalone(directiveCommand);
        lock (_gate)
            return _cells.GetValue(submit, c => new CellDirectives(((SubmitCode)c).Code));
    }

    /// <summary>Marks lines below a <c>#!leaklab sql</c> as its query: the kernel's C# submission of exactly that text is skipped.</summary>
    public void ClaimSqlBody(KernelCommand directiveCommand, string body)
    {
        if (directiveCommand.Parent is { } cell)
        {
            lock (_gate)
                _claimedSql.Add((new WeakReference<KernelCommand>(cell), Normalize(body)));
        }
    }

    /// <summary>Kernel middleware: swallows the C# submission a <c>#!leaklab sql</c> already ran as SQL.</summary>
    public async Task SkipClaimedSqlAsync(KernelCommand command, KernelInvocationContext context, KernelPipelineContinuation next)
    {
        if (command is SubmitCode { Parent: { } cell } submit && TryTakeClaim(cell, submit.Code))
            return;
        await next(command, context);
    }

    private bool TryTakeClaim(KernelCommand cell, string code)
    {
        lock (_gate)
        {
            string text = Normalize(code);
            _claimedSql.RemoveAll(c => !c.Cell.TryGetTarget(out _));
            int index = _claimedSql.FindIndex(c => c.Cell.TryGetTarget(out var owner) && ReferenceEquals(owner, cell) && c.Body == text);
            if (index < 0)
                return false;
            _claimedSql.RemoveAt(index);
            return true;
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static Kernel? FindCSharpKernel(Kernel root) =>
        root.FindKernelByName("csharp") ?? root.FindKernels(k => k.KernelInfo.LanguageName == "C#").FirstOrDefault();
}
