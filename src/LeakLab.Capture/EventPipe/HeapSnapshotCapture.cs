using System.Diagnostics;
using System.Diagnostics.Tracing;
using LeakLab.EventPipe;
using LeakLab.Linux;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace LeakLab;

/// <summary>
/// Takes a light heap snapshot of a running .NET process over EventPipe (the dotnet-gcdump approach): no dump file and
/// no DAC, just the runtime's own heap walk, turned into the same <see cref="HeapGraph"/> a dump gives, minus field names.
/// </summary>
/// <remarks>
/// Enabling the runtime provider with the heap-snapshot keywords makes the target run one blocking gen2 GC and report
/// every live object, reference, type and root while it walks the heap inside that GC; the target's managed threads are
/// paused for that GC (about 0.15–0.25 s per million objects on our machines, feasibility.md §5a). Type names are
/// normalised with <see cref="TypeNameNormalizer"/>, so they match a dump of the same process. What EventPipe does not
/// carry: field names (every edge is <see cref="FieldIds.Unknown"/>), object contents, thread and frame names of stack roots.
/// </remarks>
public static class HeapSnapshotCapture
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    // GC | Type | GCHeapDump | GCHeapCollect | GCHeapAndTypeNames (ClrTraceEventParser.Keywords.GCHeapSnapshot). GCHeapCollect
    // is what makes the runtime induce the heap-walk GC when the session starts.
    private const long HeapSnapshotKeywords = 0x1980001;

    // GCHeapSurvivalAndMovement: adds GCGenerationRange events, which give each object's generation.
    private const long GenerationRangeKeywords = 0x400000;

    // The target writes the whole heap into this buffer while our reader drains it; a full buffer drops events,
    // which would make the edge stream unusable. dotnet-gcdump uses the same generous size.
    private const int CircularBufferMB = 256;

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Takes a heap snapshot of process <paramref name="pid"/>.</summary>
    /// <exception cref="LeakLabException">
    /// The process is not running, is not .NET, is stopped or cannot be reached, exited during the snapshot, sent no
    /// snapshot within <see cref="HeapSnapshotOptions.Timeout"/>, or lost events. The message is one line that says what to do.
    /// </exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public static HeapGraph Capture(int pid, HeapSnapshotOptions? options = null) => CaptureWithTimings(pid, options).Graph;

    /// <summary>Like <see cref="Capture"/>, and reports what the snapshot cost: session start, the target's pause, the total.</summary>
    public static HeapSnapshotResult CaptureWithTimings(int pid, HeapSnapshotOptions? options = null)
    {
        options ??= new HeapSnapshotOptions();
        CancellationToken cancel = options.CancellationToken;
        cancel.ThrowIfCancellationRequested();
        SnapshotTarget.Require(pid);

        var clock = Stopwatch.StartNew();
        // Read before the session: the process may exit while we build the graph.
        string? processName = DotNetProcesses.Describe(pid)?.Name ?? ProcFs.ReadComm(pid);
        string? runtimeVersion = SnapshotTarget.RuntimeVersion(pid);

        using var deadline = new CancellationTokenSource(options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel);
        IProgress<string>? progress = options.Progress;
        progress?.Report($"starting an EventPipe session in process {pid}");

        try
        {
            EventPipeSession session = StartSession(pid, linked.Token, cancel, options.Timeout);
            TimeSpan sessionStart = clock.Elapsed;
            progress?.Report($"session started in {sessionStart.TotalMilliseconds:0} ms; waiting for the induced gen2 GC and its heap walk");

            var collector = new HeapEventCollector();
            DateTimeOffset capturedAt;
            long eventsLost;
            using (session)
            {
                var reader = new EventReader(session, collector);
                WaitForHeapWalk(reader, collector, pid, linked.Token, cancel, options.Timeout);
                capturedAt = DateTimeOffset.UtcNow;
                progress?.Report(
                    $"GC #{collector.WalkGc} paused process {pid} for {collector.PauseMs:0} ms; {collector.Data.NodeCount:N0} objects, {collector.Data.EdgeTargets.Count:N0} references");
                StopSession(session, reader);
                eventsLost = reader.EventsLost;
            }
            // Only now, so it competes neither with the session start nor with the target's GC; it overlaps the graph build.
            Task<StaticFieldOwners> staticOwners = StaticFieldOwners.StartResolving(pid, linked.Token);

            cancel.ThrowIfCancellationRequested();
            long declared = collector.Data.DeclaredEdgeCount();
            if (declared != collector.Data.EdgeTargets.Count)
                throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt,
                    $"the heap snapshot of process {pid} lost events ({collector.Data.EdgeTargets.Count:N0} of {declared:N0} references arrived); the process may be too busy, try again");

            var info = new SnapshotInfo
            {
                SourceKind = "eventpipe",
                ProcessId = pid,
                ProcessName = processName,
                CapturedAt = capturedAt,
                RuntimeVersion = runtimeVersion,
                HasFieldNames = false,
                // Read right after the walk, against the walk GC's generation ranges, so S08 sees native growth in a series of snapshots.
                ProcessMemory = ProcMemory.TryRead(pid, [.. collector.Data.GenerationRanges.Where(r => r.Gc == collector.WalkGc)
                    .Select(r => (r.Start, Math.Max(r.UsedLength, r.ReservedLength)))], "eventpipe"),
            };
            HeapGraph graph = collector.Data.ToGraph(info, collector.WalkGc, () => AwaitStaticOwners(staticOwners, progress), eventsLost);
            clock.Stop();
            progress?.Report($"snapshot of process {pid}: {graph.NodeCount:N0} objects, {graph.TypeCount:N0} types, {graph.Roots.Count:N0} roots in {clock.Elapsed.TotalSeconds:0.00} s");
            return new HeapSnapshotResult(graph, sessionStart, TimeSpan.FromMilliseconds(collector.PauseMs), clock.Elapsed, collector.WalkGc);
        }
        finally
        {
            linked.Cancel(); // stops the static-field reader if the snapshot failed first
        }
    }

    /// <summary>The declaring types of static fields, or none when ClrMD could not read them in time (see <see cref="StaticFieldOwners"/>).</summary>
    private static StaticFieldOwners AwaitStaticOwners(Task<StaticFieldOwners> task, IProgress<string>? progress)
    {
        try
        {
            if (task.Wait(s_stopTimeout) && task.Result.Slots.Count > 0)
                return task.Result;
        }
        catch (AggregateException) { } // cancelled with the snapshot's deadline
        progress?.Report("could not read the declaring types of static fields; static roots are named by field only");
        return StaticFieldOwners.None;
    }

    private static EventPipeSession StartSession(int pid, CancellationToken token, CancellationToken userCancel, TimeSpan timeout)
    {
        var provider = new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, HeapSnapshotKeywords | GenerationRangeKeywords);
        try
        {
            return new DiagnosticsClient(pid)
                .StartEventPipeSessionAsync([provider], requestRundown: false, CircularBufferMB, token)
                .GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!userCancel.IsCancellationRequested)
        {
            throw SnapshotTarget.Timeout(pid, timeout);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or UnauthorizedAccessException or IOException or TimeoutException)
        {
            throw SnapshotTarget.Translate(ex, pid);
        }
    }

    private static void WaitForHeapWalk(EventReader reader, HeapEventCollector collector, int pid, CancellationToken token, CancellationToken userCancel, TimeSpan timeout)
    {
        int signalled = WaitHandle.WaitAny([collector.Completed, reader.Finished, token.WaitHandle]);
        if (collector.IsCompleted)
            return;
        if (signalled == 2)
        {
            userCancel.ThrowIfCancellationRequested();
            throw SnapshotTarget.Timeout(pid, timeout);
        }
        // The stream ended first: the process exited, or the runtime closed the session.
        if (!ProcFs.IsRunning(pid))
            throw SnapshotTarget.Exited(pid, reader.Error);
        throw reader.Error is { } error
            ? SnapshotTarget.Translate(error, pid)
            : new LeakLabException(LeakLabErrorKind.ProcessUnreachable, $"process {pid} ended the EventPipe session before its heap walk finished; try again");
    }

    /// <summary>
    /// Asks the runtime to end the session so it stops tracing GCs at Verbose level, and lets the reader drain the rest.
    /// The snapshot is complete already, so a runtime that does not answer costs only this wait.
    /// </summary>
    private static void StopSession(EventPipeSession session, EventReader reader)
    {
        using var stop = new CancellationTokenSource(s_stopTimeout);
        try
        {
            session.StopAsync(stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            // Disposing the session closes the stream, which ends the session in the runtime as well.
        }
        reader.Finished.WaitOne(s_stopTimeout);
    }

    /// <summary>Parses the session's event stream on its own thread until the stream ends.</summary>
    private sealed class EventReader
    {
        private readonly ManualResetEvent _finished = new(false);

        public EventReader(EventPipeSession session, HeapEventCollector collector)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    // The constructor reads the stream header, so it blocks like Process() does: both belong on this thread.
                    using var source = new EventPipeEventSource(session.EventStream);
                    collector.Subscribe(source);
                    try
                    {
                        source.Process();
                    }
                    finally
                    {
                        EventsLost = source.EventsLost;
                    }
                }
                catch (Exception ex)
                {
                    Error = ex;
                }
                finally
                {
                    _finished.Set();
                }
            })
            {
                IsBackground = true,
                Name = "LeakLab EventPipe reader",
            };
            thread.Start();
        }

        public WaitHandle Finished => _finished;
        public Exception? Error { get; private set; }
        /// <summary>Events the runtime reported dropped (its buffers were full); read once <see cref="Finished"/> is set.</summary>
        public long EventsLost { get; private set; }
    }
}
