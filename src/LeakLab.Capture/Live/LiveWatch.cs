using System.Diagnostics;
using System.Globalization;

namespace LeakLab.Capture.Live;

/// <summary>How a <see cref="LiveWatch"/> ended.</summary>
public enum LiveWatchEnding { Completed, Exited, Cancelled }

/// <summary>What a watch reports while it runs; every method is called on the watching thread.</summary>
public interface ILiveWatchProgress
{
    /// <summary>A one-off line ("snapshot 2: 12,345 objects ...", "process 42 exited ...").</summary>
    void Note(string text);

    /// <summary>Once, when tracing stopped and before the snapshots are compared: "watched process 42: 12 GCs, ...".</summary>
    void Stopped(string summary);

    /// <summary>About every 250 ms: the trace so far (read <paramref name="recorder"/> for GCs and counters).</summary>
    void Tick(LiveTrace trace, LiveRecorder recorder, TimeSpan elapsed, int snapshotsTaken, int snapshotsWanted);
}

/// <summary>Settings for <see cref="LiveWatch.Run"/>.</summary>
/// <param name="Duration">How long to watch.</param>
/// <param name="Interval">Seconds between counter samples (whole seconds, at least 1).</param>
/// <param name="Snapshots">Heap snapshots to take, spread evenly from the start to the end, the last one started as long before the end as the longest one before it took (0 for none).</param>
/// <param name="DumpOnAlert">Write one heap dump (<see cref="LiveWatch.AlertDumpFile"/> in the folder) the first time the leak warning fires.</param>
public sealed record LiveWatchOptions(TimeSpan Duration, TimeSpan Interval, int Snapshots, bool DumpOnAlert = false);

/// <summary>Everything a watch collected; the files are in <see cref="Folder"/>.</summary>
/// <param name="Sampler">Which runtime event sampled allocations.</param>
/// <param name="AlertDump">The dump written when the warning fired (<see cref="LiveWatchOptions.DumpOnAlert"/>), else null.</param>
public sealed record LiveWatchResult(
    int Pid, string Folder, DateTimeOffset Started, TimeSpan Watched, LiveWatchEnding Ending,
    TimeSpan SessionStart, long Events, IReadOnlyList<(string File, HeapSnapshotResult Result)> Snapshots,
    IReadOnlyList<string> Failures, LeakWarning Warning, AllocationSampler Sampler = AllocationSampler.Tick, DumpResult? AlertDump = null);

/// <summary>
/// The watch loop shared by <c>leaklab watch</c> and the notebook's <c>#!leaklab watch</c>: one <see cref="LiveTrace"/>
/// into a <see cref="LiveRecorder"/>, K heap snapshots spread over the duration (saved as snapshot-N.llhg), then the
/// snapshots compared and judged by <see cref="LeakWarning"/>. Stops early when the target exits, the session closes
/// or <c>cancel</c> fires; what was collected is kept in every case.
/// </summary>
public static class LiveWatch
{
    /// <summary>The dump <see cref="LiveWatchOptions.DumpOnAlert"/> writes into the watch's folder.</summary>
    public const string AlertDumpFile = "alert.dmp";

    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);

    /// <summary>Watches <paramref name="pid"/>, recording into <paramref name="recorder"/> (whose files live in <paramref name="folder"/>).</summary>
    /// <exception cref="LeakLabException">The trace could not start (process gone, not .NET, unreachable).</exception>
    public static LiveWatchResult Run(int pid, string folder, LiveRecorder recorder, DateTimeOffset started, LiveWatchOptions options,
        ILiveWatchProgress progress, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var clock = Stopwatch.StartNew();
        using LiveTrace trace = LiveTrace.Start(pid, recorder, new LiveTraceOptions { CounterInterval = options.Interval }, cancel);
        progress.Note($"watching process {pid} for {options.Duration.TotalSeconds:0} s into {folder} (session started in {trace.SessionStart.TotalMilliseconds:0} ms)");

        var snapshots = new List<(string File, HeapSnapshotResult Result)>();
        // Each snapshot's dominators and paths, computed in the background while the watch goes on, so the comparison
        // at the end costs only its sums instead of adding K analyses to the watch's duration.
        var analyses = new List<Task<HeapAnalysis>>();
        var failures = new List<string>();
        int wanted = options.Snapshots;
        LiveWatchEnding ending = LiveWatchEnding.Completed;
        MemoryLimit? limit = MemoryLimit.Of(pid);
        if (limit is not null)
            progress.Note($"GC memory limit of process {pid}: {limit.Bytes:N0} bytes ({limit.Source})");
        var alert = new AlertCheck(pid, folder, options, limit, recorder, progress);
        // The longest snapshot so far (wall time, saving included): the last one starts that long before the end, so
        // the watch ends on time; the first, at the start, gives the first estimate. See SnapshotDue for the limit.
        TimeSpan snapshotCost = TimeSpan.Zero;
        bool toldTooMany = false;
        // Shown before the first snapshot and after each one too: snapshots that run back to back (a busy machine, a big
        // heap) leave no idle tick between them, and the live view would stay blank until the end.
        progress.Tick(trace, recorder, clock.Elapsed, 0, wanted);
        while (true)
        {
            if (cancel.IsCancellationRequested) { ending = LiveWatchEnding.Cancelled; break; }
            if (!trace.TargetRunning) { ending = LiveWatchEnding.Exited; break; }
            if (trace.Finished.WaitOne(0))
            {
                // The runtime closed the session while the process runs on: keep what came, say why it stopped early.
                failures.Add($"the live session ended after {Seconds(clock.Elapsed)}: {trace.Error?.Message ?? "closed by the target"}");
                progress.Note(failures[^1]);
                break;
            }
            TimeSpan elapsed = clock.Elapsed;
            int attempted = snapshots.Count + failures.Count;
            if (attempted < wanted && elapsed >= SnapshotDue(attempted, wanted, options.Duration, snapshotCost))
            {
                int index = attempted + 1;
                TimeSpan began = clock.Elapsed;
                try
                {
                    // The capture makes the runtime re-log type names itself (beside this trace's sessions).
                    snapshots.Add(TakeSnapshot(pid, folder, index, progress, cancel));
                    analyses.Add(Analyse(snapshots[^1].Result.Graph));
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    ending = LiveWatchEnding.Cancelled;
                    break;
                }
                catch (LeakLabException ex)
                {
                    if (!trace.TargetRunning) { ending = LiveWatchEnding.Exited; break; }
                    failures.Add($"snapshot {index}: {ex.Message}");
                    progress.Note($"snapshot {index} failed: {ex.Message}");
                }
                finally
                {
                    snapshotCost = Max(snapshotCost, clock.Elapsed - began);
                }
                // Snapshots longer than D/K run back to back (SnapshotDue), so K of them end K * cost after the start.
                TimeSpan over = snapshotCost * wanted - options.Duration;
                if (!toldTooMany && over > TimeSpan.FromSeconds(1))
                {
                    toldTooMany = true;
                    progress.Note($"a snapshot of process {pid} takes {Seconds(snapshotCost)}, more than {Seconds(options.Duration / wanted)} ({wanted} in {Seconds(options.Duration)}): the watch runs about {Seconds(over)} longer (fewer --snapshots or a longer --duration keep to it)");
                }
                recorder.Flush();
                progress.Tick(trace, recorder, clock.Elapsed, snapshots.Count, wanted);
                continue;
            }
            if (elapsed >= options.Duration && attempted >= wanted)
                break;
            alert.Check(analyses, wanted - failures.Count);
            recorder.Flush();
            progress.Tick(trace, recorder, elapsed, snapshots.Count, wanted);
            cancel.WaitHandle.WaitOne(s_tick);
        }

        trace.Stop();
        recorder.Flush();
        TimeSpan watched = clock.Elapsed;
        progress.Stopped($"watched process {pid}: {recorder.Gcs.Count:N0} GCs, {recorder.AllocationSamples:N0} allocation samples, {snapshots.Count} snapshots, {trace.EventCount:N0} events");
        if (ending == LiveWatchEnding.Exited)
            progress.Note($"process {pid} exited after {Seconds(watched)}; what was collected is kept in {folder}");
        else if (ending == LiveWatchEnding.Cancelled)
            progress.Note($"watch cancelled after {Seconds(watched)}; what was collected is kept in {folder}");

        SnapshotComparison? comparison = Compare(progress, analyses, failures);
        LeakWarning warning = LeakWarning.Judge(recorder.Gcs, comparison, limit, t => recorder.StacksOf(t));
        if (warning.Alert && ending != LiveWatchEnding.Cancelled)
            alert.Dump();
        failures.AddRange(alert.Failures);
        return new LiveWatchResult(pid, folder, started, watched, ending, trace.SessionStart, trace.EventCount, snapshots, failures, warning,
            trace.Sampler, alert.Written);
    }

    /// <summary>
    /// Judges the rule while the watch runs (after each new gen2 GC or snapshot), so <see cref="LiveWatchOptions.DumpOnAlert"/>
    /// catches the process while it leaks rather than after the watch; the final judgement is still made at the end.
    /// </summary>
    private sealed class AlertCheck(int pid, string folder, LiveWatchOptions options, MemoryLimit? limit, LiveRecorder recorder, ILiveWatchProgress progress)
    {
        private int _gen2Seen = -1;
        private int _snapshotsSeen = -1;
        private SnapshotComparison? _comparison;
        private bool _dumped;

        public DumpResult? Written { get; private set; }
        public List<string> Failures { get; } = [];

        /// <param name="expected">Snapshots the watch will have at most: until two exist, rule 2 waits for them.</param>
        public void Check(List<Task<HeapAnalysis>> snapshots, int expected)
        {
            if (!options.DumpOnAlert || _dumped)
                return;
            IReadOnlyList<GcRecord> gcs = recorder.Gcs;
            int gen2 = gcs.Count(g => g.Generation == 2);
            if (gen2 == _gen2Seen && snapshots.Count == _snapshotsSeen)
                return;
            if (snapshots.Count != _snapshotsSeen && snapshots.Count >= 2)
            {
                try { _comparison = SnapshotComparison.Compare([.. snapshots.Select(s => s.GetAwaiter().GetResult())]); }
                catch (LeakLabException) { _comparison = null; } // the final comparison reports it
            }
            (_gen2Seen, _snapshotsSeen) = (gen2, snapshots.Count);
            if (_comparison is null && expected >= 2)
                return;
            if (LeakWarning.Judge(gcs, _comparison, limit).Alert)
                Dump();
        }

        public void Dump()
        {
            if (!options.DumpOnAlert || _dumped)
                return;
            _dumped = true;
            try
            {
                Written = DumpCapture.Write(pid, Path.Combine(folder, AlertDumpFile), note: progress.Note);
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(Written.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                progress.Note(FormattableString.Invariant(
                    $"leak warning: wrote {Written.Path} ({Written.Bytes / 1048576.0:0.0} MiB in {Written.Elapsed.TotalSeconds:0.00} s)"));
            }
            catch (LeakLabException ex)
            {
                Failures.Add($"dump on alert: {ex.Message}");
                progress.Note(Failures[^1]);
            }
        }
    }

    private static string Seconds(TimeSpan t) =>
        t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// When snapshot <paramref name="i"/> (0-based) is due: evenly from the start to <paramref name="lastStart"/> (the
    /// end less the time a snapshot takes); a single one at <paramref name="lastStart"/>. The last one starts no earlier
    /// than (K-1)/K of the duration, so a short watch with slow snapshots keeps them apart (the growth between them is
    /// what the warning reads); K snapshots that take longer than the duration in all run back to back, and the watch
    /// runs over by what they take beyond it.
    /// </summary>
    private static TimeSpan SnapshotDue(int i, int count, TimeSpan duration, TimeSpan cost)
    {
        TimeSpan lastStart = Max(duration - cost, duration * (count - 1) / count);
        return count == 1 ? lastStart : lastStart * i / (count - 1);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static (string, HeapSnapshotResult) TakeSnapshot(int pid, string folder, int index, ILiveWatchProgress progress, CancellationToken cancel)
    {
        HeapSnapshotResult result = HeapSnapshotCapture.CaptureWithTimings(pid, new HeapSnapshotOptions { CancellationToken = cancel });
        string path = Path.Combine(folder, $"snapshot-{index}{HeapSnapshotFile.Extension}");
        HeapSnapshotFile.Save(result.Graph, path);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the folder is owner-only already
        progress.Note(FormattableString.Invariant(
            $"snapshot {index}: {result.Graph.NodeCount:N0} objects, target paused {result.TargetPause.TotalMilliseconds:0} ms by GC #{result.GcNumber}, {result.Elapsed.TotalSeconds:0.00} s"));
        return (path, result);
    }

    /// <summary>Starts computing the dominators and retention paths of a snapshot on the thread pool (not cancellable, like the comparison).</summary>
    private static Task<HeapAnalysis> Analyse(HeapGraph graph) => Task.Run(() =>
    {
        var analysis = new HeapAnalysis(graph);
        analysis.GetDominators();
        analysis.GetPaths();
        return analysis;
    });

    private static SnapshotComparison? Compare(ILiveWatchProgress progress, List<Task<HeapAnalysis>> analyses, List<string> failures)
    {
        if (analyses.Count < 2)
            return null;
        try
        {
            var comparison = SnapshotComparison.Compare([.. analyses.Select(a => a.GetAwaiter().GetResult())]);
            progress.Note($"compared {analyses.Count} snapshots: {comparison.Types.Count(t => t.Growing):N0} growing types");
            return comparison;
        }
        catch (LeakLabException ex)
        {
            failures.Add($"comparison: {ex.Message}");
            return null;
        }
    }
}
