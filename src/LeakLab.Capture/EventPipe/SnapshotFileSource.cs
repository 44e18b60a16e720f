namespace LeakLab.Capture.EventPipe;

/// <summary>A saved LeakLab heap snapshot (.llhg) as an <see cref="IHeapSource"/>: read with <see cref="HeapSnapshotFile.Load"/>.</summary>
public sealed class SnapshotFileSource : IHeapSource
{
    public SnapshotFileSource(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    public string Path { get; }
    public string Label => System.IO.Path.GetFileName(Path);

    /// <inheritdoc/>
    /// <remarks>The file is read in one pass with no phases to report; <paramref name="progress"/> is not called.</remarks>
    public HeapGraph Load(IProgress<LoadProgress>? progress = null, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        return HeapSnapshotFile.Load(Path);
    }
}
