namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab chart growth|retained|generations|gc|survivors|ages [SNAPSHOT] [--top N]</c>.</summary>
internal sealed record ChartMagicCommand(ChartKind Kind, string? Snapshot, int Top) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.Run<object?>(() => session.Chart(Kind, Snapshot, Top));
}

internal sealed class ChartSubcommand : MagicSubcommand
{
    public override string Name => "chart";
    public override string Usage => "#!leaklab chart growth|retained|generations|gc|survivors|ages [SNAPSHOT] [--top N]";
    public override string Description =>
        "Plotly chart: growth across snapshots, retained treemap, generations per type; of the latest watch: gc (heap per generation and pauses), survivors (allocated against still alive per type); ages (generations per type across snapshots).";
    public override int MaxPositional => 2;
    public override IReadOnlyList<MagicOption> Options { get; } = [new("--top", "N", "Types to include (default 10).")];

    public override MagicCommand Parse(MagicArguments args)
    {
        string kindText = args.PositionalAt(0) ?? throw args.Fail("say which chart: growth, retained, generations, gc, survivors or ages");
        ChartKind kind = kindText.ToLowerInvariant() switch
        {
            "growth" => ChartKind.Growth,
            "retained" => ChartKind.Retained,
            "generations" => ChartKind.Generations,
            "gc" => ChartKind.Gc,
            "survivors" => ChartKind.Survivors,
            "ages" => ChartKind.Ages,
            _ => throw args.Fail($"unknown chart '{kindText}'; use growth, retained, generations, gc, survivors or ages"),
        };
        return new ChartMagicCommand(kind, args.PositionalAt(1), args.Int("--top", 10));
    }
}
