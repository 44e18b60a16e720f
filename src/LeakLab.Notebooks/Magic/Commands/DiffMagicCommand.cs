namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab diff [S1 S2 ...]</c>: compares snapshots (default: all loaded, in load order).</summary>
internal sealed record DiffMagicCommand(IReadOnlyList<string> Snapshots) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) => ExecuteAsync(session, CancellationToken.None);

    public override Task<object?> ExecuteAsync(LeakLabSession session, CancellationToken cancellationToken) =>
        Task.Run<object?>(() => session.Diff([.. Snapshots], cancellationToken), cancellationToken);
}

internal sealed class DiffSubcommand : MagicSubcommand
{
    public override string Name => "diff";
    public override string Usage => "#!leaklab diff [S1 S2 ...] [--to NAME]";
    public override string Description => "Compare snapshots in time order; suspects (growing) first.";
    public override bool HasTable => true;
    public override int MaxPositional => int.MaxValue;

    public override MagicCommand Parse(MagicArguments args)
    {
        if (args.Positional.Count == 1)
            throw args.Fail("name at least two snapshots, or none for all loaded ones");
        return new DiffMagicCommand([.. args.Positional]);
    }
}
