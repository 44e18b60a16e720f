using System.Diagnostics;

namespace LeakLab.Notebooks.Session;

/// <summary>
/// Collects a notebook watch's progress lines (snapshots taken, early ends) to show under its summary, and, when the
/// host gave a <see cref="ILiveView"/>, redraws the chart so far about once a second.
/// </summary>
internal sealed class WatchNotes(ILiveView? view, DateTimeOffset started, TimeSpan duration) : ILiveWatchProgress
{
    private static readonly TimeSpan s_redraw = TimeSpan.FromSeconds(1);
    private readonly List<string> _lines = [];
    private readonly Stopwatch _sinceRedraw = new();

    public IReadOnlyList<string> Lines => _lines;

    public void Note(string text) => _lines.Add(text);

    public void Stopped(string summary) => _lines.Add(summary);

    public void Tick(LiveTrace trace, LiveRecorder recorder, TimeSpan elapsed, int snapshotsTaken, int snapshotsWanted)
    {
        if (view is null || (_sinceRedraw.IsRunning && _sinceRedraw.Elapsed < s_redraw))
            return;
        _sinceRedraw.Restart();
        IReadOnlyList<GcRecord> gcs = recorder.Gcs;
        string heap = recorder.Latest("gc-heap-size") is { } h ? FormattableString.Invariant($"heap {h.Value:0.#} {h.Unit}") : "heap ?";
        string status = FormattableString.Invariant(
            $"watching process {trace.Pid}: {elapsed.TotalSeconds:0} s of {duration.TotalSeconds:0}, {heap}, {gcs.Count:N0} GCs, {recorder.AllocationSamples:N0} allocation samples, snapshots {snapshotsTaken}/{snapshotsWanted}");
        view.Show(new WatchProgress(status, WatchResult.TimelineChart(started, gcs, AllocationRate(recorder, started))));
    }

    /// <summary>The alloc-rate counter as bytes per second (it reports bytes per interval).</summary>
    internal static List<(double, double)> AllocationRate(LiveRecorder recorder, DateTimeOffset started)
    {
        var rate = new List<(double, double)>();
        DateTimeOffset? previous = null;
        foreach (RuntimeCounterSample s in recorder.Series("alloc-rate"))
        {
            double interval = previous is { } p ? Math.Max(0.001, (s.Time - p).TotalSeconds) : 1;
            rate.Add(((s.Time - started).TotalSeconds, s.Value / interval));
            previous = s.Time;
        }
        return rate;
    }
}
