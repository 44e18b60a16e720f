using System.Reflection;

namespace LeakLab;

/// <summary>
/// The glue extension.dib calls after the kernel referenced this package. It sees only BCL types (LeakLab takes
/// no dependency on the archived .NET Interactive packages); the .dib passes the kernel's objects in.
/// </summary>
/// <remarks>
/// The kernel's directive parser would split <c>#!leaklab</c> arguments its own way (JSON values, one implicit
/// parameter), so the handler takes the raw directive text and hands it to <see cref="MagicCommandParser"/>:
/// every host accepts and rejects exactly the same text. Formatters need no call: every result type carries a
/// name-matched TypeFormatterSourceAttribute the kernel discovers on first display.
/// </remarks>
public static class InteractiveExtension
{
    /// <summary>The subcommands to declare on the kernel's <c>#!leaklab</c> directive (for completions and parsing).</summary>
    public static IReadOnlyList<MagicSubcommand> Subcommands => MagicCommandRegistry.Default.Subcommands;

    public const string Description = "LeakLab: heap snapshots, retention paths, retained sizes, diffs, SQL and charts. Subcommands: load, dump, stats, paths, roots, retained, diff, sql, chart, help.";

    /// <summary>A line the .dib shows once it is loaded.</summary>
    public static string LoadedMessage => $"LeakLab {typeof(InteractiveExtension).Assembly.GetName().Version?.ToString(3)} is loaded. Try `#!leaklab load /path/to/app.dmp` then `#!leaklab stats`.";

    /// <summary>
    /// The full text of the directive a kernel command came from, e.g. "#!leaklab stats --top 5".
    /// Reads the command's DirectiveNode.Text (public members of the kernel's internal DirectiveCommand), or
    /// its "Directive: …" ToString.
    /// </summary>
    public static string DirectiveText(object command)
    {
        ArgumentNullException.ThrowIfNull(command);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        object? node = command.GetType().GetProperty("DirectiveNode", flags)?.GetValue(command);
        if (node?.GetType().GetProperty("Text", flags)?.GetValue(node) is string text && MagicCommandParser.IsMagicLine(text))
            return text.Trim();
        string? shown = command.ToString();
        if (shown is not null && shown.StartsWith("Directive: ", StringComparison.Ordinal) && MagicCommandParser.IsMagicLine(shown["Directive: ".Length..]))
            return shown["Directive: ".Length..].Trim();
        throw new LeakLabException($"cannot read the #!leaklab text from this kernel's {command.GetType().Name}; call Lab.Current from C# instead (e.g. Lab.Current.Stats())");
    }

    /// <summary>Runs the directive text against <see cref="Lab.Current"/>; returns the value to display, or null.</summary>
    public static Task<object?> RunAsync(string directiveText) =>
        new MagicCommandExecutor(Lab.Current).ExecuteAsync(directiveText);
}
