using System.Diagnostics;

namespace LeakLab.Testing;

/// <summary>Heap snapshots of the test's own process: an EventPipe snapshot (counts) or a dump (field names).</summary>
/// <remarks>
/// Both work on the own process (measured on .NET 10, Linux): the runtime serves EventPipe from its diagnostic-server
/// thread and streams events from its own thread, so a session to <see cref="Environment.ProcessId"/> does not wait on
/// the thread that asked; a dump makes the runtime start createdump, which ptrace-suspends every thread of this process
/// (the asking thread is blocked in a socket read meanwhile) and resumes them when written, so it does not deadlock either.
/// One snapshot at a time per process: two createdumps cannot ptrace one process together, and every snapshot induces a
/// gen-2 GC that would only slow the other down.
/// </remarks>
internal static class SelfSnapshots
{
    private static readonly Lock s_gate = new();
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>An EventPipe snapshot of this process (types, sizes, references, roots; no field names).</summary>
    public static HeapSnapshotResult EventPipe()
    {
        lock (s_gate)
            return HeapSnapshotCapture.CaptureWithTimings(Environment.ProcessId, new HeapSnapshotOptions { Timeout = s_timeout });
    }

    /// <summary>
    /// A heap dump of this process loaded into a graph with field names, the time it took, and
    /// <see cref="GC.CollectionCount"/>(2) right after the dump was written (loading it allocates, and may start more GCs).
    /// The dump file (about the size of the process's memory) is deleted before this returns.
    /// </summary>
    public static (HeapGraph Graph, TimeSpan Elapsed, int Gen2Collections) Dump()
    {
        string path = Path.Combine(Path.GetTempPath(), $"leaklab-testing-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        var clock = Stopwatch.StartNew();
        try
        {
            lock (s_gate)
                DumpCapture.Write(Environment.ProcessId, path);
            int gen2 = GC.CollectionCount(2);
            return (DumpLoader.Load(path), clock.Elapsed, gen2);
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
