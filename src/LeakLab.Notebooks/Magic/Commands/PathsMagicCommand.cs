
namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab paths [SNAPSHOT] (--type T | --address A) [--limit N]</c>.</summary>
internal sealed record PathsMagicCommand(string? Snapshot, string? Type, ulong? Address, int Limit) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) => ExecuteAsync(session, CancellationToken.None);

    public override Task<object?> ExecuteAsync(LeakLabSession session, CancellationToken cancellationToken) =>
        Task.Run<object?>(() => session.Paths(Snapshot, Type, Address, Limit, cancellationToken), cancellationToken);
}

internal sealed class PathsSubcommand : MagicSubcommand
{
    public override string Name => "paths";
    public override string Usage => "#!leaklab paths [SNAPSHOT] (--type T | --address A) [--limit N] [--to NAME]";
    public override string Description => "Shortest retention paths from named roots, grouped by shape.";
    public override bool HasTable => true;
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        new("--type", "T", "Every instance of the type: full name (also Dictionary`2[...]), else short name, else part of a name."),
        new("--address", "A", "One object, hex address."),
        new("--limit", "N", $"Path shapes to show (default {PathsOptions.DefaultLimit})."),
    ];

    public override MagicCommand Parse(MagicArguments args)
    {
        if (args.Has("--type") == args.Has("--address"))
            throw args.Fail("give exactly one of --type or --address");
        return new PathsMagicCommand(args.PositionalAt(0), args.String("--type"), args.Address("--address"), args.Int("--limit", PathsOptions.DefaultLimit));
    }
}
