namespace LeakLab;

/// <summary>The charts <c>#!leaklab chart</c> draws.</summary>
public enum ChartKind
{
    /// <summary>Counts and bytes of the top suspect types across snapshots.</summary>
    Growth,
    /// <summary>Retained size as a treemap of dominators by type.</summary>
    Retained,
    /// <summary>Objects per generation for the largest types.</summary>
    Generations,
}
