namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab inspect [S1 S2 ...]</c>: runs the inspections over snapshots (default: all loaded, in load order).</summary>
internal sealed record InspectMagicCommand(IReadOnlyList<string> Snapshots) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.Run<object?>(() => session.Inspect([.. Snapshots]));
}

internal sealed class InspectSubcommand : MagicSubcommand
{
    public override string Name => "inspect";
    public override string Usage => "#!leaklab inspect [S1 S2 ...] [--to NAME]";
    public override string Description => "Name the cause of a leak (scenarios S01-S15): findings with evidence and fix, most serious first, and a chart of their counts per snapshot.";
    public override bool HasTable => true;
    public override int MaxPositional => int.MaxValue;

    public override MagicCommand Parse(MagicArguments args) => new InspectMagicCommand([.. args.Positional]);
}
