namespace LeakLab;

/// <summary>
/// One allocation sample (the runtime's GCAllocationTick event): roughly every 100 KB a thread allocates, the runtime
/// names the type of the object that crossed the threshold, so sampled bytes per type approximate the allocation mix.
/// </summary>
/// <param name="Time">When the sample was taken (UTC).</param>
/// <param name="TypeName">The type as the runtime names it (EventPipe style; may differ from a dump's name for nested generics).</param>
/// <param name="Bytes">Bytes allocated since the previous sample on that heap (about 100 KB; the sample stands for these bytes).</param>
/// <param name="Kind">"Small", "Large" or "Pinned": the heap the object went to.</param>
public readonly record struct AllocationSample(DateTimeOffset Time, string TypeName, long Bytes, string Kind);
