namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab roots [SNAPSHOT] [--kind K]</c>.</summary>
internal sealed record RootsMagicCommand(string? Snapshot, IReadOnlyList<RootKind>? Kinds) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.FromResult<object?>(session.Roots(Snapshot, Kinds));
}

internal sealed class RootsSubcommand : MagicSubcommand
{
    public override string Name => "roots";
    public override string Usage => "#!leaklab roots [SNAPSHOT] [--kind static|handle|stack|finalizer|KIND] [--to NAME]";
    public override string Description => "GC roots with their kind, name and object type.";
    public override int MaxPositional => 1;
    public override bool HasTable => true;
    public override IReadOnlyList<MagicOption> Options { get; } = [new("--kind", "K", "Only roots of this kind: " + RootKindNames.Accepted + ".")];

    public override MagicCommand Parse(MagicArguments args)
    {
        RootKind[]? kinds = null;
        if (args.String("--kind") is { } text && !RootKindNames.TryParse(text, out kinds))
            throw args.Fail($"unknown root kind '{text}'; use one of {RootKindNames.Accepted}");
        return new RootsMagicCommand(args.PositionalAt(0), kinds);
    }
}
