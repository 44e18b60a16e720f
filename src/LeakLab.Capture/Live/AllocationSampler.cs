namespace LeakLab.Capture.Live;

/// <summary>Which runtime event a <see cref="LiveTrace"/> samples allocations with.</summary>
public enum AllocationSampler
{
    /// <summary><see cref="Randomized"/> on .NET 10 and later, <see cref="Tick"/> on older runtimes or when the version is unknown.</summary>
    Auto,

    /// <summary><c>AllocationSampled</c> (.NET 10+, keyword AllocationSampling): every byte has the same chance, so small types are not skewed.</summary>
    Randomized,

    /// <summary><c>GCAllocationTick</c> (every runtime): the object that crossed each ~100 KB allocation threshold.</summary>
    Tick,
}
