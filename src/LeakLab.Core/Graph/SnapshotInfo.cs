namespace LeakLab.Core.Graph;

/// <summary>Where a heap graph came from. Used to order and label snapshots.</summary>
public sealed record SnapshotInfo
{
    /// <summary>"dump", "eventpipe" or "test" (hand-built).</summary>
    public required string SourceKind { get; init; }
    /// <summary>Absolute path of the file the graph was read from, if any.</summary>
    public string? Path { get; init; }
    public int? ProcessId { get; init; }
    public string? ProcessName { get; init; }
    /// <summary>When the snapshot was taken, UTC, as recorded in the file itself (see <see cref="CaptureStamp"/>); null when unknown.</summary>
    public DateTimeOffset? CapturedAt { get; init; }
    public string? RuntimeVersion { get; init; }
    /// <summary>True when references carry field names (dumps do; EventPipe snapshots do not).</summary>
    public bool HasFieldNames { get; init; }
    /// <summary>What the load read and could not read; null for graphs built in memory (<see cref="LoadReport.Of"/> counts those).</summary>
    public LoadReport? Load { get; init; }
    /// <summary>What the heap walk could not read (dumps); null when the source does not walk heap memory (snapshots, hand-built graphs).</summary>
    public HeapDamage? Damage => Load?.Damage;
    /// <summary>The live process's memory beside the GC heap when the snapshot was taken (EventPipe snapshots on Linux); null otherwise.</summary>
    public ProcessMemory? ProcessMemory { get; init; }
    /// <summary>Short label for tables and charts: the file name, or the source kind.</summary>
    public string Label => Path is null ? SourceKind : System.IO.Path.GetFileName(Path);

    public static SnapshotInfo HandBuilt(string label = "test") => new() { SourceKind = label, HasFieldNames = true };
}
