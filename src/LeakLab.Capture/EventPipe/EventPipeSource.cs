namespace LeakLab.Capture.EventPipe;

/// <summary>A running .NET process as an <see cref="IHeapSource"/>: each load takes a new EventPipe heap snapshot (<see cref="HeapSnapshotCapture"/>).</summary>
public sealed class EventPipeSource : IHeapSource
{
    private readonly HeapSnapshotOptions _options;

    /// <param name="pid">The process.</param>
    /// <param name="options">Timeout and progress lines; a cancellation token given to a load wins over theirs.</param>
    public EventPipeSource(int pid, HeapSnapshotOptions? options = null)
    {
        ProcessId = pid;
        _options = options ?? new HeapSnapshotOptions();
    }

    public int ProcessId { get; }
    public string Label => $"process {ProcessId}";

    /// <summary>What the last <see cref="Load"/> cost (session start, the target's pause); null before the first.</summary>
    public HeapSnapshotResult? LastCapture { get; private set; }

    /// <inheritdoc/>
    /// <remarks>The capture reports its steps as text lines (<see cref="HeapSnapshotOptions.Progress"/>), not as <see cref="LoadProgress"/>.</remarks>
    public HeapGraph Load(IProgress<LoadProgress>? progress = null, CancellationToken cancel = default)
    {
        HeapSnapshotOptions options = cancel.CanBeCanceled ? _options with { CancellationToken = cancel } : _options;
        LastCapture = HeapSnapshotCapture.CaptureWithTimings(ProcessId, options);
        return LastCapture.Graph;
    }
}
