namespace LeakLab.Notebooks.Magic;

/// <summary>The <c>#!leaklab</c> subcommands. Adding one is a new <see cref="MagicSubcommand"/> class and a line here.</summary>
internal sealed class MagicCommandRegistry
{
    public static MagicCommandRegistry Default { get; } = new(
    [
        new LoadSubcommand(),
        new DumpSubcommand(),
        new StatsSubcommand(),
        new PathsSubcommand(),
        new RootsSubcommand(),
        new RetainedSubcommand(),
        new DiffSubcommand(),
        new SqlSubcommand(),
        new ChartSubcommand(),
        new InspectSubcommand(),
        new RuntimeSubcommand(),
        new SnapshotSubcommand(),
        new WatchSubcommand(),
        new HelpSubcommand(),
    ]);

    private readonly MagicSubcommand[] _subcommands;

    public MagicCommandRegistry(IEnumerable<MagicSubcommand> subcommands)
    {
        _subcommands = [.. subcommands];
        var duplicate = _subcommands.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two subcommands are named '{duplicate.Key}'.", nameof(subcommands));
    }

    public IReadOnlyList<MagicSubcommand> Subcommands => _subcommands;

    public MagicSubcommand? Find(string name) =>
        _subcommands.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"#!leaklab load|dump|stats|... (see #!leaklab help)".</summary>
    public string Usage => $"{MagicCommandParser.Prefix} {string.Join("|", _subcommands.Select(s => s.Name))} ... (see `#!leaklab help`)";
}
