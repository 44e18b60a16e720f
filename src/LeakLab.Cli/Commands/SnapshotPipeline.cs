namespace LeakLab.Cli.Commands;

/// <summary>
/// Reduces snapshots to their sums with the next one's load overlapping the current one's analysis: a bounded pipeline
/// of two on the machine's cores. A first open spends about half its time walking the dump (one core), the other
/// half on dominators and paths (one core), so the two halves of consecutive dumps run side by side.
/// </summary>
/// <remarks>
/// At most one graph is analysed and one loaded at a time: the loader starts dump i+1 only once the analysis has taken
/// dump i, so memory is one walk plus one analysis (each dump's walk is handed to its mapped index and given back).
/// </remarks>
internal static class SnapshotPipeline
{
    /// <summary>
    /// The sums of each snapshot, by its index: <paramref name="load"/> runs on a background thread in index order,
    /// <paramref name="reduce"/> on the caller's.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    /// <remarks>The first exception of either side is thrown once the loader has stopped (no half-written index left behind).</remarks>
    public static SnapshotSums[] Reduce(int count, Func<int, HeapGraph> load, Func<HeapGraph, SnapshotSums> reduce, CancellationToken cancel)
    {
        var ready = new TaskCompletionSource<HeapGraph>[count];
        for (int i = 0; i < count; i++)
            ready[i] = new TaskCompletionSource<HeapGraph>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var ahead = new SemaphoreSlim(1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task loader = Task.Run(() =>
        {
            for (int i = 0; i < count; i++)
            {
                try
                {
                    ahead.Wait(stop.Token);
                    ready[i].SetResult(load(i));
                }
                catch (Exception e)
                {
                    for (int j = i; j < count; j++)
                        ready[j].TrySetException(e);
                    return;
                }
            }
        }, CancellationToken.None);

        var sums = new SnapshotSums[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                HeapGraph graph = ready[i].Task.GetAwaiter().GetResult();
                ready[i] = null!; // let the graph go once reduced
                ahead.Release();
                sums[i] = reduce(graph);
            }
        }
        finally
        {
            stop.Cancel();
            loader.GetAwaiter().GetResult(); // never throws: the loader hands its errors to the waiting snapshots
        }
        return sums;
    }
}
