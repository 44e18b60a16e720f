namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab snapshot (--pid N | --name P) [--as NAME]</c>: an EventPipe heap snapshot of a live process, into the session.</summary>
internal sealed record SnapshotMagicCommand(int? Pid, string? ProcessName, string? SnapshotName) : MagicCommand
{
    public override async Task<object?> ExecuteAsync(LeakLabSession session)
    {
        int pid = Pid ?? session.FindProcess(ProcessName!);
        var (snapshot, capture) = await session.SnapshotAsync(pid, SnapshotName);
        return new SnapshotResult(snapshot, FormattableString.Invariant(
            $"pid {pid} by EventPipe, target paused {capture.TargetPause.TotalMilliseconds:0} ms by GC #{capture.GcNumber}"));
    }
}

internal sealed class SnapshotSubcommand : MagicSubcommand
{
    public override string Name => "snapshot";
    public override string Usage => "#!leaklab snapshot (--pid N | --name P) [--as NAME]";
    public override string Description => "Take a heap snapshot of a running .NET process over EventPipe (no dump file) and load it.";
    public override IReadOnlyList<MagicOption> Options => ProcessTarget.CaptureOptions;

    public override MagicCommand Parse(MagicArguments args)
    {
        var (pid, name) = ProcessTarget.Parse(args);
        return new SnapshotMagicCommand(pid, name, args.String("--as"));
    }
}
