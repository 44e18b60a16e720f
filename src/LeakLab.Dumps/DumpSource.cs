namespace LeakLab.Dumps;

/// <summary>A dump file as an <see cref="IHeapSource"/>: read with <see cref="DumpLoader"/>.</summary>
public sealed class DumpSource : IHeapSource
{
    private readonly DumpLoadOptions _options;

    /// <param name="path">The dump file.</param>
    /// <param name="options">The DAC to use and other load options; progress and cancellation given to a load win over theirs.</param>
    public DumpSource(string path, DumpLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _options = options ?? new DumpLoadOptions();
    }

    public string Path { get; }
    public string Label => System.IO.Path.GetFileName(Path);

    /// <inheritdoc/>
    public HeapGraph Load(IProgress<LoadProgress>? progress = null, CancellationToken cancel = default) =>
        DumpLoader.Load(Path, With(progress, cancel));

    /// <summary>One walk over the heap that builds no graph (several times faster than <see cref="Load"/>).</summary>
    public HeapStatistics LoadStatistics(IProgress<LoadProgress>? progress = null, CancellationToken cancel = default) =>
        DumpLoader.ReadStatistics(Path, With(progress, cancel));

    private DumpLoadOptions With(IProgress<LoadProgress>? progress, CancellationToken cancel) => _options with
    {
        Progress = progress ?? _options.Progress,
        CancellationToken = cancel.CanBeCanceled ? cancel : _options.CancellationToken,
    };
}
