namespace LeakLab.Core.Loading;

/// <summary>
/// Something a heap graph can be read from: a dump, a saved LeakLab snapshot (.llhg), a live process over EventPipe.
/// Every source builds its graph with <see cref="HeapGraphBuilder"/> and returns it with a <see cref="LoadReport"/>
/// (<see cref="SnapshotInfo.Load"/>), so hosts load any of them the same way.
/// </summary>
public interface IHeapSource
{
    /// <summary>What is read, for messages and progress: a file name, or "process 1234".</summary>
    string Label { get; }

    /// <summary>Reads the whole heap. The graph's <see cref="SnapshotInfo.Load"/> says what could not be read.</summary>
    /// <exception cref="LeakLabException">The source cannot be read (its <see cref="LeakLabException.Kind"/> says why).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    HeapGraph Load(IProgress<LoadProgress>? progress = null, CancellationToken cancel = default);

    /// <summary>
    /// Per-type counts and bytes of every object, garbage included. Sources that can count without building a graph
    /// (dumps) do so; others count the graph.
    /// </summary>
    /// <exception cref="LeakLabException">As for <see cref="Load"/>.</exception>
    HeapStatistics LoadStatistics(IProgress<LoadProgress>? progress = null, CancellationToken cancel = default)
    {
        HeapGraph graph = Load(progress, cancel);
        return new HeapStatistics(TypeStatistics.Compute(graph), LoadReport.Of(graph));
    }
}
