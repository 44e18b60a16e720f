using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace LeakLab.Interactive;

/// <summary>
/// <c>--to NAME</c>: sets C# variables in the notebook's C# kernel through the kernel's value API (SendValue), so the
/// next cell can filter, join and chart the tables: NAME is the main DataFrame, NAME_table each other one (d_roots).
/// </summary>
internal static class DataFrameVariables
{
    public static async Task SetAsync(KernelState state, KernelInvocationContext context, string name, object? value)
    {
        IReadOnlyList<NamedDataFrame> tables = value is LeakLabResult result ? result.ToDataFrames() : [];
        if (tables.Count == 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"--to {name}: this result has no table to put in a DataFrame");
        string csharp = state.CSharpKernelName
            ?? throw new LeakLabException(LeakLabErrorKind.NotReady, $"--to {name}: this kernel has no C# kernel to hold the variable");

        var set = new List<string>();
        for (int i = 0; i < tables.Count; i++)
        {
            // The main table is NAME; the others NAME_table.
            string variable = i == 0 ? name : $"{name}_{tables[i].Name}";
            var frame = tables[i].Frame;
            // A plain-text formatted value: the default would serialize the whole DataFrame to JSON just to drop it.
            var send = new SendValue(variable, frame, new FormattedValue("text/plain", variable), csharp);
            KernelCommandResult sent = await state.Root.SendAsync(send, context.CancellationToken);
            if (sent.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                throw new LeakLabException(LeakLabErrorKind.Failed, $"--to {name}: the C# kernel did not take variable '{variable}': {failed.Message}");
            set.Add($"{variable} ({frame.Rows.Count:N0} rows)");
        }
        KernelInvocationContextExtensions.Display(context, $"C# DataFrame variables: {string.Join(", ", set)}", "text/plain");
    }
}
