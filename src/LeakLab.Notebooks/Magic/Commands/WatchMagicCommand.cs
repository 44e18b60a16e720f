using System.Globalization;

namespace LeakLab.Notebooks.Magic.Commands;

/// <summary>
/// <c>#!leaklab watch (--pid N | --name P) [--duration D] [--interval T] [--snapshots K] [--dump-on-alert] [--to NAME]</c>:
/// a live trace (counters, GC timeline, allocation samples with stacks, K snapshots, leak warning) shown as a chart that
/// updates while it runs, then the summary and the lifetime charts.
/// </summary>
internal sealed record WatchMagicCommand(int? Pid, string? ProcessName, int DurationSeconds, int IntervalSeconds, int Snapshots, bool DumpOnAlert = false) : MagicCommand
{
    public override async Task<object?> ExecuteAsync(LeakLabSession session)
    {
        int pid = Pid ?? session.FindProcess(ProcessName!);
        return await session.WatchAsync(pid, new LiveWatchOptions(
            TimeSpan.FromSeconds(DurationSeconds), TimeSpan.FromSeconds(IntervalSeconds), Snapshots, DumpOnAlert));
    }
}

internal sealed class WatchSubcommand : MagicSubcommand
{
    public const int DefaultDuration = 30;
    public const int DefaultSnapshots = 3;

    public override string Name => "watch";
    public override string Usage => "#!leaklab watch (--pid N | --name P) [--duration D] [--interval T] [--snapshots K] [--dump-on-alert] [--to NAME]";
    public override string Description =>
        "Trace a running .NET process for D seconds (counters, GC timeline, allocation samples with stacks, K heap snapshots) with a chart that updates while it runs, then show the leak warning, the growing types' allocation stacks and the lifetime charts.";
    public override bool HasTable => true;
    public override IReadOnlyList<MagicOption> Options { get; } =
    [
        ProcessTarget.Pid,
        ProcessTarget.Name,
        new("--duration", "D", $"Seconds to watch (default {DefaultDuration})."),
        new("--interval", "T", "Seconds between counter samples (default 1)."),
        new("--snapshots", "K", $"Heap snapshots spread over the watch (default {DefaultSnapshots}; 0 for none). Each costs the target one blocking gen2 GC."),
        new("--dump-on-alert", null, $"Write one heap dump ({LiveWatch.AlertDumpFile}) into the watch's folder the first time the leak warning fires."),
    ];

    public override MagicCommand Parse(MagicArguments args)
    {
        var (pid, name) = ProcessTarget.Parse(args);
        int snapshots = DefaultSnapshots;
        if (args.String("--snapshots") is { } text
            && (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out snapshots) || snapshots < 0))
            throw args.Fail($"--snapshots needs a whole number, 0 or more, not '{text}'");
        return new WatchMagicCommand(pid, name,
            args.Int("--duration", DefaultDuration), args.Int("--interval", 1), snapshots, args.Has("--dump-on-alert"));
    }
}
