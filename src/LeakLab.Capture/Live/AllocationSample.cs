namespace LeakLab.Capture.Live;

/// <summary>
/// One allocation sample: on .NET 10 the runtime's randomized <c>AllocationSampled</c> event (each byte allocated has
/// the same chance to be picked, about one sample per 100 KB), on older runtimes <c>GCAllocationTick</c> (the object
/// that crossed each ~100 KB threshold). Sampled bytes per type and per call stack approximate the allocation mix.
/// </summary>
/// <param name="Time">When the sample was taken (UTC).</param>
/// <param name="TypeName">The type as the runtime names it (EventPipe style; may differ from a dump's name for nested generics).</param>
/// <param name="Bytes">
/// Bytes the sample stands for: for <c>AllocationSampled</c> the unbiased estimate <c>size / (1 - e^(-size/100 KB))</c>
/// (about 100 KB for a small object, the object's own size for a huge one); for <c>GCAllocationTick</c> the bytes
/// allocated since the previous tick on that heap.
/// </param>
/// <param name="Kind">"Small", "Large" or "Pinned": the heap the object went to.</param>
/// <param name="Stack">
/// The allocating call stack, innermost frame first, as <c>Namespace.Type.Method</c> (or <c>module!0xADDRESS</c> when
/// the method could not be named); empty when the session asked for no stacks.
/// </param>
public readonly record struct AllocationSample(DateTimeOffset Time, string TypeName, long Bytes, string Kind, IReadOnlyList<string> Stack);
