namespace LeakLab.Notebooks.Magic.Commands;

/// <summary>
/// <c>#!leaklab runtime [SNAPSHOT] [--table NAME]</c>: the runtime structures of a dump as tables;
/// <c>#!leaklab runtime (--pid N | --name P)</c>: a live process's memory from /proc against its GC heap.
/// </summary>
internal sealed record RuntimeMagicCommand(string? Snapshot, string? Table, int? Pid = null, string? ProcessName = null) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.Run<object?>(() => Pid is null && ProcessName is null ? session.Runtime(Snapshot, Table) : Live(session));

    private RuntimeResult Live(LeakLabSession session)
    {
        int pid = Pid ?? session.FindProcess(ProcessName!);
        ProcessMemory memory = ProcMemory.Read(pid);
        var info = new SnapshotInfo { SourceKind = "live", ProcessId = pid, CapturedAt = DateTimeOffset.UtcNow };
        return new RuntimeResult($"pid {pid}", new RuntimeTables { Info = info, Process = memory }, "process");
    }
}

internal sealed class RuntimeSubcommand : MagicSubcommand
{
    public override string Name => "runtime";
    public override string Usage => "#!leaklab runtime [SNAPSHOT | --pid N | --name P] [--table NAME] [--to NAME]";
    public override string Description => "A dump's runtime structures as tables: finalizer queue, GC handles, timers, threads, pending tasks, token sources, "
        + "SafeHandles, memory; of a live process (--pid/--name), its memory from /proc against the GC heap (table process).";
    public override bool HasTable => true;
    public override int MaxPositional => 1;
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        new("--table", "NAME", $"Only one table: {string.Join(", ", RuntimeTable.Names)} (--to then gives that one as a DataFrame; default all, --to gives the first)."),
        ProcessTarget.Pid,
        ProcessTarget.Name,
    ];

    public override MagicCommand Parse(MagicArguments args)
    {
        string? table = args.String("--table")?.Trim().ToLowerInvariant();
        if (table is not null && !RuntimeTable.Names.Contains(table))
            throw args.Fail($"no runtime table named '{args.String("--table")}'; use one of {string.Join(", ", RuntimeTable.Names)}");
        if (!args.Has(ProcessTarget.Pid.Name) && !args.Has(ProcessTarget.Name.Name))
            return new RuntimeMagicCommand(args.PositionalAt(0), table);
        if (args.PositionalAt(0) is { } snapshot)
            throw args.Fail($"give a snapshot ('{snapshot}') or a live process (--pid/--name), not both");
        if (table is not null and not "process")
            throw args.Fail($"a live process has only the process table (its memory from /proc); dump it (`#!leaklab dump --pid N`) for '{table}'");
        var (pid, name) = ProcessTarget.Parse(args);
        return new RuntimeMagicCommand(null, table, pid, name);
    }
}
