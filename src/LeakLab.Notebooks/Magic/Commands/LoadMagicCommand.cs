namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab load PATH [--as NAME]</c>: loads a dump or a .llhg snapshot as a named snapshot.</summary>
internal sealed record LoadMagicCommand(string Path, string? Name) : MagicCommand
{
    public override async Task<object?> ExecuteAsync(LeakLabSession session) =>
        new SnapshotResult(await session.LoadAsync(Path, Name));
}

internal sealed class LoadSubcommand : MagicSubcommand
{
    public override string Name => "load";
    public override string Usage => "#!leaklab load PATH [--as NAME]";
    public override string Description => "Load a dump or a .llhg heap snapshot as a named snapshot.";
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } = [new("--as", "NAME", "Snapshot name (default: the file name).")];

    public override MagicCommand Parse(MagicArguments args) =>
        new LoadMagicCommand(args.PositionalAt(0) ?? throw args.Fail("the PATH of a dump or .llhg snapshot is missing"), args.String("--as"));
}
