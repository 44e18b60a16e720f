namespace LeakLab;

/// <summary><c>#!leaklab roots [SNAPSHOT] [--kind K]</c>.</summary>
public sealed record RootsCommand(string? Snapshot, RootKind? Kind) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.FromResult<object?>(session.Roots(Snapshot, Kind));
}

public sealed class RootsSubcommand : MagicSubcommand
{
    public override string Name => "roots";
    public override string Usage => $"#!leaklab roots [SNAPSHOT] [--kind {string.Join("|", Enum.GetNames<RootKind>())}]";
    public override string Description => "GC roots with their kind, name and object type.";
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } = [new("--kind", "K", "Only roots of this kind.")];

    public override MagicCommand Parse(MagicArguments args)
    {
        RootKind? kind = null;
        if (args.String("--kind") is { } text)
        {
            if (!Enum.TryParse(text, ignoreCase: true, out RootKind parsed) || !Enum.IsDefined(parsed) || int.TryParse(text, out _))
                throw args.Fail($"unknown root kind '{text}'");
            kind = parsed;
        }
        return new RootsCommand(args.PositionalAt(0), kind);
    }
}
