using Microsoft.Diagnostics.Tracing.Parsers;

namespace LeakLab.Capture.Live;

/// <summary>
/// Turns the runtime's GC event sequence into one <see cref="GcRecord"/> per GC. A blocking GC arrives as
/// SuspendEEBegin, GCStart, GCEnd, GCHeapStats, RestartEEEnd; a background gen2 GC suspends briefly at its start and
/// again near its end, with ephemeral GCs nested in between, so pauses are summed per GC and a record is finished at
/// the first RestartEEEnd after its GCHeapStats.
/// </summary>
internal sealed class GcTimeline(Action<GcRecord> emit)
{
    private sealed class Pending
    {
        public DateTimeOffset Time;
        public long Number;
        public int Generation;
        public string Reason = "";
        public string Type = "";
        public double StartMs;
        public double EndMs = -1;
        public double PauseMs;
        public long[]? SizeAfter;
        public long Promoted;
    }

    // GC number → GC in flight; two at most (a background gen2 and one nested ephemeral GC).
    private readonly Dictionary<long, Pending> _open = new();
    private double _suspendedAtMs = -1;
    private Pending? _lastEnded;

    public void Subscribe(ClrTraceEventParser clr)
    {
        clr.GCSuspendEEStart += e => _suspendedAtMs = e.TimeStampRelativeMSec;
        clr.GCStart += e => _open[e.Count] = new Pending
        {
            Time = new DateTimeOffset(e.TimeStamp.ToUniversalTime(), TimeSpan.Zero),
            Number = e.Count,
            Generation = e.Depth,
            Reason = e.Reason.ToString(),
            Type = e.Type.ToString(),
            StartMs = e.TimeStampRelativeMSec,
        };
        clr.GCStop += e =>
        {
            if (_open.TryGetValue(e.Count, out Pending? gc))
            {
                gc.EndMs = e.TimeStampRelativeMSec;
                _lastEnded = gc;
            }
        };
        clr.GCHeapStats += e =>
        {
            // Heap stats follow the GCEnd of the GC they describe.
            if (_lastEnded is not { } gc || gc.SizeAfter is not null)
                return;
            gc.SizeAfter = [e.GenerationSize0, e.GenerationSize1, e.GenerationSize2, e.GenerationSize3, e.GenerationSize4];
            gc.Promoted = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4;
        };
        clr.GCRestartEEStop += e =>
        {
            double pause = _suspendedAtMs >= 0 ? e.TimeStampRelativeMSec - _suspendedAtMs : 0;
            _suspendedAtMs = -1;
            foreach (Pending gc in _open.Values)
                gc.PauseMs += pause;
            foreach (Pending gc in _open.Values.Where(g => g.SizeAfter is not null).ToList())
                Finish(gc);
        };
    }

    /// <summary>Emits GCs that ended but whose restart never arrived (the session stopped in between).</summary>
    public void Flush()
    {
        foreach (Pending gc in _open.Values.Where(g => g.SizeAfter is not null).ToList())
            Finish(gc);
        _open.Clear();
    }

    private void Finish(Pending gc)
    {
        _open.Remove(gc.Number);
        // Older GCs still open had their GCEnd lost with the session's start; they will never finish.
        foreach (long stale in _open.Keys.Where(n => n < gc.Number && _open[n].Generation <= gc.Generation && _open[n].Type != "BackgroundGC").ToList())
            _open.Remove(stale);
        double duration = gc.EndMs >= 0 ? gc.EndMs - gc.StartMs : 0;
        emit(new GcRecord(gc.Time, gc.Number, gc.Generation, gc.Reason, gc.Type, Math.Round(gc.PauseMs, 3), Math.Round(duration, 3), gc.SizeAfter!, gc.Promoted));
    }
}
