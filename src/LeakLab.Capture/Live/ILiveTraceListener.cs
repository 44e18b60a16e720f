namespace LeakLab.Capture.Live;

/// <summary>
/// Receives what a <see cref="LiveTrace"/> reads, on the trace's reader thread, in the order the target wrote it.
/// Implementations must be quick (or hand off): a slow listener lets the session's buffer fill and the runtime drop events.
/// </summary>
public interface ILiveTraceListener
{
    void OnCounter(RuntimeCounterSample sample);
    void OnGc(GcRecord gc);
    void OnAllocation(AllocationSample sample);
}
