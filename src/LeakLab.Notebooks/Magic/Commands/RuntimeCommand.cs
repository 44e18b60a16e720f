namespace LeakLab;

/// <summary><c>#!leaklab runtime [SNAPSHOT] [--table NAME]</c>: the runtime structures of a dump as tables.</summary>
public sealed record RuntimeCommand(string? Snapshot, string? Table) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.Run<object?>(() => session.Runtime(Snapshot, Table));
}

public sealed class RuntimeSubcommand : MagicSubcommand
{
    public override string Name => "runtime";
    public override string Usage => "#!leaklab runtime [SNAPSHOT] [--table NAME] [--to NAME]";
    public override string Description => "A dump's runtime structures as tables: finalizer queue, GC handles, timers, threads, pending tasks, token sources, SafeHandles, memory.";
    public override bool HasTable => true;
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        new("--table", "NAME", $"Only one table: {string.Join(", ", RuntimeTable.Names)} (--to then gives that one as a DataFrame; default all, --to gives the first)."),
    ];

    public override MagicCommand Parse(MagicArguments args)
    {
        string? table = args.String("--table")?.Trim().ToLowerInvariant();
        if (table is not null && !RuntimeTable.Names.Contains(table))
            throw args.Fail($"no runtime table named '{args.String("--table")}'; use one of {string.Join(", ", RuntimeTable.Names)}");
        return new RuntimeCommand(args.PositionalAt(0), table);
    }
}
