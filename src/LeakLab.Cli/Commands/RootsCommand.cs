using System.CommandLine;

namespace LeakLab.Cli.Commands;

/// <summary><c>leaklab roots FILE [--kind K] [--json]</c>: the roots of the heap and what they hold.</summary>
internal static class RootsCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> file = CommonOptions.DumpFile();
        Option<string?> kind = new("--kind", "-k")
        {
            Description = "Only roots of this kind: " + string.Join(", ", Enum.GetNames<RootKind>()) + " (or static, handle, stack, finalizer).",
            HelpName = "KIND",
        };
        Option<bool> json = CommonOptions.Json();
        Option<string?> dac = CommonOptions.Dac();

        var command = new Command("roots", "The roots of a dump or snapshot: static fields, handles, thread stacks, the finalizer queue.") { file, kind, json, dac };
        command.SetAction(parse =>
        {
            string? kindText = parse.GetValue(kind);
            RootKind[]? kinds = kindText is null ? null : ParseKinds(kindText);
            HeapGraph graph = context.LoadHeap(parse.GetValue(file)!, parse.GetValue(dac));
            RootsAnswer answer = RootsVerb.Run(graph, new RootsOptions { Kinds = kinds });

            if (parse.GetValue(json))
                context.Out.WriteLine(JsonReport.Roots(answer.Graph, answer.Roots));
            else
                context.Out.Write(TextReport.Roots(answer.Graph, answer.Roots, context.TextOptions));
            return CliApp.Success;
        });
        return command;
    }

    internal static RootKind[] ParseKinds(string text) =>
        RootKindNames.TryParse(text, out RootKind[] kinds) ? kinds
            : throw new UsageException($"unknown root kind '{text}'; use one of {RootKindNames.Accepted}");
}
