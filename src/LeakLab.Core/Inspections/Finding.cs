namespace LeakLab.Core.Inspections;

/// <summary>
/// What an inspection found: the scenario it recognises (<c>S01</c>…<c>S15</c> of docs/scenarios.md), a title, the
/// cause as a root (<see cref="FindingRoot"/>), the evidence (retention path with field names, counts and sizes per
/// snapshot), a score in [0, 1] (how sure and how serious), the fix in one sentence, and which inspection spoke.
/// </summary>
public sealed record Finding(string Scenario, string Title, FindingRoot Root, IReadOnlyList<string> Evidence, double Score, string Fix, string Inspection)
{
    /// <summary>Bytes the cause retains in the last snapshot, when known; ranks findings of equal score.</summary>
    public long RetainedBytes { get; init; }

    /// <summary>
    /// The count the finding rests on, one value per snapshot in capture order (subscribers, timers, registrations,
    /// retained objects…); empty when the finding rests on bytes rather than a count.
    /// </summary>
    public IReadOnlyList<long> Counts { get; init; } = [];
}

/// <summary>
/// The cause a finding names: <paramref name="Kind"/> is "static field", "event", "timer", "token source", "task",
/// "channel", "thread", "finalizer", "gc handle", "safe handle", "registry", "pool" or a root kind;
/// <paramref name="Name"/> the field, method or type.
/// </summary>
public sealed record FindingRoot(string Kind, string Name);
