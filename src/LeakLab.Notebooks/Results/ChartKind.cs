namespace LeakLab.Notebooks.Results;

/// <summary>The charts <c>#!leaklab chart</c> draws.</summary>
public enum ChartKind
{
    /// <summary>Counts and bytes of the top suspect types across snapshots.</summary>
    Growth,
    /// <summary>Retained size as a treemap of dominators by type.</summary>
    Retained,
    /// <summary>Objects per generation for the largest types.</summary>
    Generations,
    /// <summary>Heap per generation after each GC and the GC pauses of the latest watch.</summary>
    Gc,
    /// <summary>Allocated against still-alive bytes per type in the latest watch.</summary>
    Survivors,
    /// <summary>Bytes per generation per type across the loaded snapshots (or the latest watch's).</summary>
    Ages,
}
