namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab help</c>: every subcommand's usage and what it does.</summary>
internal sealed record HelpMagicCommand : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.FromResult<object?>(new HelpResult(MagicCommandRegistry.Default.Subcommands));
}

internal sealed class HelpSubcommand : MagicSubcommand
{
    public override string Name => "help";
    public override string Usage => "#!leaklab help";
    public override string Description => "List the subcommands and their usage.";

    public override MagicCommand Parse(MagicArguments args) => new HelpMagicCommand();
}

/// <summary>The usage table <c>#!leaklab help</c> shows.</summary>
internal sealed class HelpResult : ResultList<MagicSubcommand>
{
    internal HelpResult(IEnumerable<MagicSubcommand> subcommands) : base(subcommands) { }

    public override string ToHtml() => Render.TableHtml(["Usage", "What it does"], this.Select(s => (IReadOnlyList<object?>)[s.Usage, s.Description]));
    public override string ToText() => Render.TableText(["Usage", "What it does"], this.Select(s => (IReadOnlyList<object?>)[s.Usage, s.Description]));
}
