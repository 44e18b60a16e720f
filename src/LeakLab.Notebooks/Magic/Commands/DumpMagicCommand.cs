namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab dump (--pid N | --name P) [--as NAME] [--timeout SECONDS]</c>: dumps a live process and loads it.</summary>
/// <param name="TimeoutSeconds">How long the dump may take; null for <see cref="DumpTimeout.For"/>.</param>
internal sealed record DumpMagicCommand(int? Pid, string? ProcessName, string? SnapshotName, int? TimeoutSeconds = null) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) => ExecuteAsync(session, CancellationToken.None);

    /// <summary>A cancelled cell abandons the dump (createdump stopped, partial file deleted).</summary>
    public override async Task<object?> ExecuteAsync(LeakLabSession session, CancellationToken cancellationToken)
    {
        TimeSpan? timeout = TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null;
        Snapshot s = Pid is { } pid
            ? await session.DumpAsync(pid, SnapshotName, timeout, cancellationToken)
            : await session.DumpAsync(ProcessName!, SnapshotName, timeout, cancellationToken);
        return new SnapshotResult(s, Pid is { } p ? $"pid {p}" : $"process '{ProcessName}'");
    }
}

internal sealed class DumpSubcommand : MagicSubcommand
{
    public override string Name => "dump";
    public override string Usage => "#!leaklab dump (--pid N | --name P) [--as NAME] [--timeout SECONDS]";
    public override string Description => "Write a heap dump of a running .NET process and load it.";
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        .. ProcessTarget.CaptureOptions,
        new("--timeout", "SECONDS", "Give up on a dump that takes longer (default: 60 s plus 1 s per 10 MB of the process's resident memory)."),
    ];

    public override MagicCommand Parse(MagicArguments args)
    {
        var (pid, name) = ProcessTarget.Parse(args);
        int? timeout = args.Has("--timeout") ? args.Int("--timeout", 0) : null;
        return new DumpMagicCommand(pid, name, args.String("--as"), timeout);
    }
}
