using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;

namespace LeakLab.Interactive;

/// <summary>
/// Declares <c>#!leaklab</c> and one subcommand per <see cref="MagicCommandRegistry"/> entry on the kernel, with their
/// options as parameters (completions and hover help), and registers a handler for every invoked path
/// ("#!leaklab stats"; bare "#!leaklab" for a missing or unknown subcommand). Parsing and validation stay in
/// <see cref="MagicCommandParser"/>, so the kernel accepts and rejects exactly what every other host does.
/// </summary>
internal static class MagicDirectives
{
    public static void Register(Kernel root, KernelState state)
    {
        var registry = MagicCommandRegistry.Default;
        var leaklab = new KernelActionDirective(MagicCommandParser.Prefix, Description(registry));
        var subcommands = new List<(KernelActionDirective Directive, MagicSubcommand Subcommand)>();
        foreach (MagicSubcommand subcommand in registry.Subcommands)
        {
            var directive = new KernelActionDirective(subcommand.Name, $"{subcommand.Description} Usage: {subcommand.Usage}");
            foreach (MagicOption option in subcommand.AllOptions)
            {
                directive.Parameters.Add(new KernelDirectiveParameter(option.Name, option.Description)
                {
                    Flag = option.IsFlag,
                    TypeHint = option.ValueName is "N" ? "number" : "text",
                });
            }
            // Positional words (snapshot names, a path, the SQL) are not declared: the kernel accepts any word after a
            // subcommand, would offer an implicit parameter's name as a completion, and keeps only one such value anyway.
            leaklab.Subcommands.Add(directive);
            subcommands.Add((directive, subcommand));
        }

        root.AddDirective(leaklab, (command, context) => HandleAsync(state, command, context, subcommand: null));
        foreach (var (directive, subcommand) in subcommands)
        {
            root.AddDirective(directive, (command, context) => HandleAsync(state, command, context, subcommand));
            // AddDirective also lists the subcommand as a top-level directive of the kernel; it is one only under #!leaklab.
            root.KernelInfo.SupportedDirectives.Remove(directive);
        }
    }

    private static string Description(MagicCommandRegistry registry) =>
        "LeakLab: heap snapshots, retention paths, retained sizes, diffs, SQL and charts. Subcommands: "
        + string.Join(", ", registry.Subcommands.Select(s => s.Name)) + ". `#!leaklab help` shows each one's usage.";

    private static async Task HandleAsync(KernelState state, KernelCommand command, KernelInvocationContext context, MagicSubcommand? subcommand)
    {
        CellDirectives cell = state.CellOf(command);
        (string line, int index) = cell.Next(command);
        try
        {
            string text = line;
            if (subcommand is { TakesRawText: true })
            {
                // The query may go on the lines below (up to the next magic command); the C# kernel must not see them.
                string body = cell.LinesAfter(index);
                if (!string.IsNullOrWhiteSpace(body))
                {
                    state.ClaimSqlBody(command, body);
                    text = line + "\n" + body;
                }
            }
            MagicCommand parsed = new MagicCommandParser().Parse(text);
            // A watch draws its chart while it runs, a slow dump its time so far, in one output that the final result then replaces.
            var live = parsed is WatchMagicCommand or DumpMagicCommand ? new KernelLiveView(context, state) : null;
            LeakLabSession session = Lab.Current;
            session.LiveView = live;
            object? value;
            try
            {
                value = await parsed.ExecuteAsync(session, context.CancellationToken);
            }
            finally
            {
                session.LiveView = null;
            }
            if (value is not null && live is { Shown: true })
                live.Finish(value);
            else if (value is not null)
                KernelInvocationContextExtensions.Display(context, value, "text/html", "text/plain");
            if (parsed.To is { } name)
                await DataFrameVariables.SetAsync(state, context, name, value);
        }
        catch (LeakLabException e)
        {
            context.Fail(command, message: e.Message);
        }
    }
}
