namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab dump (--pid N | --name P) [--as NAME]</c>: dumps a live process and loads it.</summary>
internal sealed record DumpMagicCommand(int? Pid, string? ProcessName, string? SnapshotName) : MagicCommand
{
    public override async Task<object?> ExecuteAsync(LeakLabSession session)
    {
        Snapshot s = Pid is { } pid
            ? await session.DumpAsync(pid, SnapshotName)
            : await session.DumpAsync(ProcessName!, SnapshotName);
        return new SnapshotResult(s, Pid is { } p ? $"pid {p}" : $"process '{ProcessName}'");
    }
}

internal sealed class DumpSubcommand : MagicSubcommand
{
    public override string Name => "dump";
    public override string Usage => "#!leaklab dump (--pid N | --name P) [--as NAME]";
    public override string Description => "Write a heap dump of a running .NET process and load it.";
    public override IReadOnlyList<MagicOption> Options => ProcessTarget.CaptureOptions;

    public override MagicCommand Parse(MagicArguments args)
    {
        var (pid, name) = ProcessTarget.Parse(args);
        return new DumpMagicCommand(pid, name, args.String("--as"));
    }
}
