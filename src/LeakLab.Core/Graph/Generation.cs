namespace LeakLab.Core.Graph;

/// <summary>The GC generation or special heap an object lives in.</summary>
public enum Generation : byte
{
    Gen0 = 0,
    Gen1 = 1,
    Gen2 = 2,
    /// <summary>Large object heap.</summary>
    Large = 3,
    /// <summary>Pinned object heap.</summary>
    Pinned = 4,
    /// <summary>Frozen (read-only) segments: string literals and the like.</summary>
    Frozen = 5,
    Unknown = 255,
}
