namespace LeakLab.Capture.Live;

/// <summary>Settings for <see cref="LiveTrace.Start"/>.</summary>
public sealed record LiveTraceOptions
{
    /// <summary>How often the target publishes its System.Runtime counters; whole seconds, at least 1 (default 1 s).</summary>
    public TimeSpan CounterInterval
    {
        get;
        init => field = value >= TimeSpan.FromSeconds(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(CounterInterval), value, "The counter interval must be at least 1 s.");
    } = TimeSpan.FromSeconds(1);

    /// <summary>Whether to sample allocations (see <see cref="Sampler"/>); default true.</summary>
    public bool Allocations { get; init; } = true;

    /// <summary>Which event samples allocations (default <see cref="AllocationSampler.Auto"/>).</summary>
    public AllocationSampler Sampler { get; init; } = AllocationSampler.Auto;

    /// <summary>
    /// Whether allocation samples carry their call stacks (default true). Costs the target a stack walk per event of
    /// the session and a method rundown at its start; method names come from that rundown and from JIT events.
    /// </summary>
    public bool Stacks { get; init; } = true;

    /// <summary>How long to wait for the target to accept the session (default 30 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
