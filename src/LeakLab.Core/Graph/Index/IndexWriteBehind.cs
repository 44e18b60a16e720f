using System.Collections.Concurrent;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// While one is open, first opens of dumps store their index on a background thread instead of on the caller's:
/// <see cref="GraphIndex.Open"/> returns the walked graph at once, and each result an analysis computes is returned
/// as computed and queued for storing; the files are written in order, directly to disk (<see cref="DirectWriteStream"/>),
/// and are complete when <see cref="Dispose"/> returns.
/// </summary>
/// <remarks>
/// For commands that read several dumps once each (<c>diff</c>): they keep each graph in memory for its whole analysis
/// anyway, so storing beside the analysis costs no memory the command does not already hold, and the writes (about
/// 66 bytes per object) leave the critical path. A single command on one dump does better with the default: it writes
/// through the page cache and reads its results back mapped, which keeps its memory to what each phase needs.
/// It applies to the code that opened it and the tasks that code starts (an async-local scope), not to the rest of
/// the process (a notebook kernel, tests running side by side).
/// </remarks>
internal sealed class IndexWriteBehind : IDisposable
{
    // About two dumps' jobs (graph, dominators, retained totals, paths, shapes): a slow
    // disk holds back the analysis of the third dump rather than letting unwritten graphs pile up in memory.
    private const int QueuedJobs = 10;

    private static readonly AsyncLocal<IndexWriteBehind?> s_current = new();
    private readonly BlockingCollection<Action> _jobs = new(QueuedJobs);
    private readonly Thread _thread;

    private IndexWriteBehind()
    {
        _thread = new Thread(Run) { IsBackground = false, Name = "LeakLab index writer" };
        _thread.Start();
    }

    /// <summary>The one open for the calling code, if any.</summary>
    internal static IndexWriteBehind? Current => s_current.Value;

    /// <summary>Opens write-behind for the calling code (and the tasks it starts) until the result is disposed.</summary>
    /// <exception cref="InvalidOperationException">One is open already here.</exception>
    public static IndexWriteBehind Start()
    {
        if (s_current.Value is not null)
            throw new InvalidOperationException("Index write-behind is already open here.");
        var behind = new IndexWriteBehind();
        s_current.Value = behind;
        return behind;
    }

    /// <summary>Queues a write; blocks while <see cref="QueuedJobs"/> are waiting. The job handles its own errors.</summary>
    public void Enqueue(Action job) => _jobs.Add(job);

    private void Run()
    {
        // Take, not a foreach: an enumerator would hold the last job (and the graph it wrote) until the next one came.
        while (TakeAndRun())
        {
        }
    }

    private bool TakeAndRun()
    {
        Action job;
        try
        {
            job = _jobs.Take();
        }
        catch (InvalidOperationException)
        {
            return false; // completed and empty
        }
        try
        {
            job();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexStaleException or IndexCorruptException)
        {
            // each job reports what it can; an index left unwritten is rebuilt by the next command
        }
        return true;
    }

    /// <summary>Waits until every queued write is on disk, then closes write-behind.</summary>
    public void Dispose()
    {
        _jobs.CompleteAdding();
        _thread.Join();
        _jobs.Dispose();
        if (s_current.Value == this)
            s_current.Value = null;
    }
}
