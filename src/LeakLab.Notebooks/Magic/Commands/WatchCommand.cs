using System.Globalization;

namespace LeakLab;

/// <summary>
/// <c>#!leaklab watch (--pid N | --name P) [--duration D] [--interval T] [--snapshots K] [--to NAME]</c>: a live trace
/// (counters, GC timeline, allocation samples, K snapshots, leak warning) shown as a summary and a GC chart.
/// </summary>
public sealed record WatchCommand(int? Pid, string? ProcessName, int DurationSeconds, int IntervalSeconds, int Snapshots) : MagicCommand
{
    public override async Task<object?> ExecuteAsync(LeakLabSession session)
    {
        int pid = Pid ?? session.FindProcess(ProcessName!);
        return await session.WatchAsync(pid, new LiveWatchOptions(
            TimeSpan.FromSeconds(DurationSeconds), TimeSpan.FromSeconds(IntervalSeconds), Snapshots));
    }
}

public sealed class WatchSubcommand : MagicSubcommand
{
    public const int DefaultDuration = 30;
    public const int DefaultSnapshots = 3;

    public override string Name => "watch";
    public override string Usage => "#!leaklab watch (--pid N | --name P) [--duration D] [--interval T] [--snapshots K] [--to NAME]";
    public override string Description =>
        "Trace a running .NET process for D seconds (counters, GC timeline, allocation samples, K heap snapshots), then show the leak warning and a chart of the heap per generation and GC pauses.";
    public override bool HasTable => true;
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        ProcessTarget.Pid,
        ProcessTarget.Name,
        new("--duration", "D", $"Seconds to watch (default {DefaultDuration})."),
        new("--interval", "T", "Seconds between counter samples (default 1)."),
        new("--snapshots", "K", $"Heap snapshots spread over the watch (default {DefaultSnapshots}; 0 for none). Each costs the target one blocking gen2 GC."),
    ];

    public override MagicCommand Parse(MagicArguments args)
    {
        var (pid, name) = ProcessTarget.Parse(args);
        int snapshots = DefaultSnapshots;
        if (args.String("--snapshots") is { } text
            && (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out snapshots) || snapshots < 0))
            throw args.Fail($"--snapshots needs a whole number, 0 or more, not '{text}'");
        return new WatchCommand(pid, name,
            args.Int("--duration", DefaultDuration), args.Int("--interval", 1), snapshots);
    }
}
