using System.Diagnostics;

namespace LeakLab.Testing.Internal;

/// <summary>Heap snapshots of the test's own process: an EventPipe snapshot (counts) or a dump (field names).</summary>
/// <remarks>
/// Both work on the own process (measured on .NET 10, Linux): the runtime serves EventPipe from its diagnostic-server
/// thread and streams events from its own thread, so a session to <see cref="Environment.ProcessId"/> does not wait on
/// the thread that asked; a dump makes the runtime start createdump, which ptrace-suspends every thread of this process
/// (the asking thread is blocked in a socket read meanwhile) and resumes them when written, so it does not deadlock either.
/// One snapshot at a time per process: two createdumps cannot ptrace one process together, and every snapshot induces a
/// gen-2 GC that would only slow the other down. A heap comparison holds the turn for its whole run (see
/// <see cref="ObjectMoves.TypeName"/> for why snapshots must not run beside its session).
/// </remarks>
internal static class SelfSnapshots
{
    private const string UnknownType = "<unknown type 0x";
    private static readonly object s_gate = new();
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_turnTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Waits for this thread's turn to take snapshots and holds it until disposed (re-entrant on the same thread).
    /// </summary>
    /// <exception cref="LeakLabException">Another thread held the turn for two minutes.</exception>
    public static Turn Exclusive()
    {
        if (!Monitor.TryEnter(s_gate, s_turnTimeout))
            throw new LeakLabException(LeakLabErrorKind.Failed,
                $"another LeakLab assertion has been taking heap snapshots of this process for {s_turnTimeout.TotalMinutes:0} minutes; does a HeapComparison block wait for another thread's assertion?");
        return new Turn();
    }

    /// <summary>An EventPipe snapshot of this process (types, sizes, references, roots; no field names).</summary>
    /// <param name="allowUnnamedTypes">Accept types the snapshot could not name (the caller names them; see <see cref="ObjectMoves.TypeName"/>).</param>
    /// <exception cref="LeakLabException">The snapshot failed, or could not name some types while counts by type were asked for.</exception>
    public static HeapSnapshotResult EventPipe(bool allowUnnamedTypes = false)
    {
        var source = new EventPipeSource(Environment.ProcessId, new HeapSnapshotOptions { Timeout = s_timeout });
        HeapGraph graph;
        using (Exclusive())
            graph = source.Load();
        HeapSnapshotResult result = source.LastCapture!;
        int unnamed = Enumerable.Range(0, graph.TypeCount).Count(t => graph.TypeName((TypeId)t).StartsWith(UnknownType, StringComparison.Ordinal));
        if (unnamed > 0 && !allowUnnamedTypes)
            throw new LeakLabException(LeakLabErrorKind.Failed,
                $"the heap snapshot of this process could not name {unnamed:N0} types, so counts by type would be wrong; another EventPipe session on the runtime provider (dotnet-trace?) is open in this process: stop it and run the test again");
        return result;
    }

    public readonly struct Turn : IDisposable
    {
        public void Dispose() => Monitor.Exit(s_gate);
    }

    /// <summary>
    /// A heap dump of this process loaded into a graph with field names, the time writing and reading it took, and
    /// <see cref="GC.CollectionCount"/>(2) right after the dump was written (loading it allocates, and may start more GCs).
    /// The dump file (about the size of the process's memory) is deleted before this returns.
    /// </summary>
    public static (HeapGraph Graph, TimeSpan Write, TimeSpan Read, int Gen2Collections) Dump()
    {
        string path = Path.Combine(Path.GetTempPath(), $"leaklab-testing-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        var clock = Stopwatch.StartNew();
        try
        {
            using (Exclusive())
                DumpCapture.Write(Environment.ProcessId, path);
            int gen2 = GC.CollectionCount(2);
            TimeSpan write = clock.Elapsed;
            HeapGraph graph = new DumpSource(path).Load();
            return (graph, write, clock.Elapsed - write, gen2);
        }
        finally
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }
}
