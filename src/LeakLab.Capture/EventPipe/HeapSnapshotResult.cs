namespace LeakLab.Capture.EventPipe;

/// <summary>A heap snapshot taken over EventPipe and what taking it cost; see <see cref="HeapSnapshotCapture.CaptureWithTimings"/>.</summary>
/// <param name="Graph">The heap graph (no field names: EventPipe does not carry them).</param>
/// <param name="SessionStart">Connecting to the process and starting the EventPipe session.</param>
/// <param name="TargetPause">
/// How long the induced gen2 GC (GCStart to GCStop) stopped the target's managed threads; the heap is walked inside it.
/// </param>
/// <param name="Elapsed">Everything, from connecting to the finished graph.</param>
/// <param name="GcNumber">The number of the GC that walked the heap, as the runtime counts them.</param>
public sealed record HeapSnapshotResult(HeapGraph Graph, TimeSpan SessionStart, TimeSpan TargetPause, TimeSpan Elapsed, long GcNumber)
{
    /// <summary>The session's circular buffer in the target, in MiB (sized to hold the whole heap walk).</summary>
    public int BufferMB { get; init; }

    /// <summary>From connecting until the last event of the heap walk was parsed; the rest of <see cref="Elapsed"/> builds the graph.</summary>
    public TimeSpan WalkReceived { get; init; }

    /// <summary>Bytes of event stream read from the target.</summary>
    public long StreamBytes { get; init; }
}
