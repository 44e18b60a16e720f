
namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab retained [SNAPSHOT] [--top N]</c>.</summary>
internal sealed record RetainedMagicCommand(string? Snapshot, int Top) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) => ExecuteAsync(session, CancellationToken.None);

    public override Task<object?> ExecuteAsync(LeakLabSession session, CancellationToken cancellationToken) =>
        Task.Run<object?>(() => session.Retained(Snapshot, Top, cancellationToken), cancellationToken);
}

internal sealed class RetainedSubcommand : MagicSubcommand
{
    public override string Name => "retained";
    public override string Usage => "#!leaklab retained [SNAPSHOT] [--top N] [--to NAME]";
    public override string Description => "Top objects, types and roots by exact retained size.";
    public override bool HasTable => true;
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } = [new("--top", "N", $"Rows per table (default {StatsOptions.DefaultTop}).")];

    public override MagicCommand Parse(MagicArguments args) => new RetainedMagicCommand(args.PositionalAt(0), args.Int("--top", StatsOptions.DefaultTop));
}
