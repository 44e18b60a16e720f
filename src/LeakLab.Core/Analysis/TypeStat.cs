namespace LeakLab.Core.Analysis;

/// <summary>One row of per-type statistics. <see cref="Retained"/> is set when dominators were computed.</summary>
public sealed record TypeStat(string Type, long Count, long Bytes)
{
    /// <summary>Bytes freed if every instance of the type went away (null until dominators are computed).</summary>
    public long? Retained { get; init; }
}
