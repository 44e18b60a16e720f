namespace LeakLab;

/// <summary>Collects a notebook watch's progress lines (snapshots taken, early ends) to show under its summary.</summary>
internal sealed class WatchNotes : ILiveWatchProgress
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Note(string text) => _lines.Add(text);

    public void Stopped(string summary) => _lines.Add(summary);

    // A magic command cannot update its output in place today, so ticks are not shown; the chart comes at the end.
    public void Tick(LiveTrace trace, LiveRecorder recorder, TimeSpan elapsed, int snapshotsTaken, int snapshotsWanted) { }
}
