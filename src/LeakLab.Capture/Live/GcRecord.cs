namespace LeakLab.Capture.Live;

/// <summary>
/// One garbage collection as the runtime's GC events report it (GCStart, GCEnd, GCHeapStats, the suspension around it).
/// </summary>
/// <param name="Time">When the GC started (UTC).</param>
/// <param name="Number">The runtime's GC count for this GC (GCStart.Count).</param>
/// <param name="Generation">The condemned generation: 0, 1 or 2.</param>
/// <param name="Reason">The runtime's reason ("AllocSmall", "Induced", "LowMemory", ...).</param>
/// <param name="Type">"NonConcurrentGC", "BackgroundGC" or "ForegroundGC".</param>
/// <param name="PauseMs">
/// Milliseconds the managed threads were suspended for this GC (GCSuspendEEBegin to GCRestartEEEnd, summed when a
/// background GC suspends more than once); 0 when the suspension was not seen.
/// </param>
/// <param name="DurationMs">GCStart to GCEnd in milliseconds (for a background GC mostly concurrent with the program).</param>
/// <param name="SizeAfter">Bytes per generation after the GC: gen0, gen1, gen2, LOH, POH (GCHeapStats).</param>
/// <param name="PromotedBytes">Bytes that survived the GC, summed over the generations (GCHeapStats TotalPromotedSize0..4).</param>
public sealed record GcRecord(
    DateTimeOffset Time, long Number, int Generation, string Reason, string Type,
    double PauseMs, double DurationMs, long[] SizeAfter, long PromotedBytes)
{
    /// <summary>Bytes of all generations after the GC.</summary>
    public long HeapAfter => SizeAfter.Sum();
}
