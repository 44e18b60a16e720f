namespace LeakLab.Capture.EventPipe;

/// <summary>Settings for <see cref="HeapSnapshotCapture"/>.</summary>
public sealed record HeapSnapshotOptions
{
    /// <summary>The default <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long to wait for the heap walk: connecting, the induced gen2 GC and the walk inside it, until its events
    /// arrive. A walk that keeps arriving is never cut off, and building the graph afterwards is not counted. A healthy
    /// process with a few million objects needs 1–5 s.
    /// </summary>
    public TimeSpan Timeout
    {
        get;
        init => field = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "The snapshot timeout must be positive.");
    } = DefaultTimeout;

    /// <summary>
    /// The session's circular buffer in the target, in MiB; null (the default) sizes it from the target's resident memory
    /// so the whole heap walk fits (the runtime writes the walk before anyone can read it, and drops what does not fit).
    /// The target allocates it only as events arrive and frees it when the snapshot ends.
    /// </summary>
    public int? BufferMB
    {
        get;
        init => field = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BufferMB), value, "The buffer size must be positive.");
    }

    /// <summary>One-line progress messages ("session started in 640 ms", "process 1234 paused 520 ms by GC #7", ...).</summary>
    public IProgress<string>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
