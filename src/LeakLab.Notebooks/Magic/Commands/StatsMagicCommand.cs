
namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab stats [SNAPSHOT] [--top N] [--type T] [--retained]</c>.</summary>
internal sealed record StatsMagicCommand(string? Snapshot, int Top, string? Type, bool Retained) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) => ExecuteAsync(session, CancellationToken.None);

    public override Task<object?> ExecuteAsync(LeakLabSession session, CancellationToken cancellationToken) =>
        Task.Run<object?>(() => session.Stats(Snapshot, Top, Type, Retained, cancellationToken), cancellationToken);
}

internal sealed class StatsSubcommand : MagicSubcommand
{
    public override string Name => "stats";
    public override string Usage => "#!leaklab stats [SNAPSHOT] [--top N] [--type T] [--retained] [--to NAME]";
    public override string Description => "Objects and bytes per type, largest first.";
    public override bool HasTable => true;
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        new("--top", "N", $"Rows to show (default {StatsOptions.DefaultTop})."),
        new("--type", "T", "Only types T matches: full name (also Dictionary`2[...]), short name or part of a name; exact first."),
        new("--retained", null, "Add retained sizes (computes dominators) and sort by them."),
    ];

    public override MagicCommand Parse(MagicArguments args) =>
        new StatsMagicCommand(args.PositionalAt(0), args.Int("--top", StatsOptions.DefaultTop), args.String("--type"), args.Has("--retained"));
}
