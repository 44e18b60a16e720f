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
    /// A heap dump of this process loaded into a graph with field names, and the time it took; the dump file (about the
    /// size of the process's memory) is deleted before this returns.
    /// </summary>
    public static (HeapGraph Graph, TimeSpan Elapsed) Dump()
    {
        string path = Path.Combine(Path.GetTempPath(), $"leaklab-testing-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        var clock = Stopwatch.StartNew();
        try
        {
            lock (s_gate)
                DumpCapture.Write(Environment.ProcessId, path);
            return (DumpLoader.Load(path), clock.Elapsed);
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
