using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace LeakLab.Capture.EventPipe;

/// <summary>
/// Takes a light heap snapshot of a running .NET process over EventPipe (the dotnet-gcdump approach): no dump file and
/// no DAC, just the runtime's own heap walk, turned into the same <see cref="HeapGraph"/> a dump gives, minus field names.
/// </summary>
/// <remarks>
/// Enabling the runtime provider with the heap-snapshot keywords makes the target run one blocking gen2 GC and report
/// every live object, reference, type and root while it walks the heap inside that GC; the target's managed threads are
/// paused for that GC (measured 0.45–0.72 s for 2.9M objects and 1.16 s for 4.9M on 2-core machines). Type names are
/// normalised with <see cref="TypeNameNormalizer"/>, so they match a dump of the same process. What EventPipe does not
/// carry: field names (every edge is <see cref="FieldIds.Unknown"/>), object contents, thread and frame names of stack roots.
/// <para>
/// Scale: there is no object cap. The runtime walks the heap inside the request that starts the session, before it
/// streams anything, and .NET 10 drops events when the session's buffer is full; so the buffer is sized to hold the whole
/// walk (<see cref="SessionBufferSize"/>), and a socket reader drains it into our memory ahead of the parser
/// (<see cref="EventStreamPump"/>). A walk that lost events anyway is refused with what arrived (<see cref="SnapshotLoss"/>).
/// Whatever happens, the session is stopped and closed and the runtime forgets which types it named
/// (<see cref="ForgetLoggedTypes"/>), so the next attempt on the process starts clean. Before this, a lost GCStop made
/// every later attempt on a big heap wait for a walk end that had been dropped, until its timeout.
/// </para>
/// </remarks>
public static class HeapSnapshotCapture
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    // GC | Type | GCHeapDump | GCHeapCollect | GCHeapAndTypeNames (ClrTraceEventParser.Keywords.GCHeapSnapshot). GCHeapCollect
    // is what makes the runtime induce the heap-walk GC when the session starts.
    private const long HeapSnapshotKeywords = 0x1980001;

    // GCHeapSurvivalAndMovement: adds GCGenerationRange events, which give each object's generation.
    private const long GenerationRangeKeywords = 0x400000;

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_quietAfterWalk = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_abandonWait = TimeSpan.FromSeconds(60);

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

        int bufferMB = options.BufferMB ?? SessionBufferSize.For(pid);
        IProgress<string>? progress = options.Progress;
        progress?.Report($"starting an EventPipe session in process {pid} (buffer {bufferMB:N0} MiB); its induced gen2 GC walks the heap before the session answers");

        EventPipeSession? session = null;
        EventReader? reader = null;
        try
        {
            session = StartSession(pid, bufferMB, options.Timeout, cancel);
            TimeSpan sessionStart = clock.Elapsed;
            progress?.Report($"session started in {sessionStart.TotalMilliseconds:0} ms; reading the heap walk");

            var collector = new HeapEventCollector();
            reader = new EventReader(session, collector);
            bool walkEnded = WaitForHeapWalk(reader, collector, pid, clock, options.Timeout, cancel);
            DateTimeOffset capturedAt = DateTimeOffset.UtcNow;
            TimeSpan walkReceived = clock.Elapsed;
            progress?.Report(
                $"GC #{collector.WalkGc} paused process {pid} for {collector.PauseMs:0} ms; {collector.Data.NodeCount:N0} objects, {collector.Data.EdgeTargets.Count:N0} references, {reader.Pump.ReceivedBytes / 1048576.0:N0} MiB of events");
            StopSession(session, reader);
            session.Dispose();
            session = null;
            long streamBytes = reader.Pump.ReceivedBytes;
            long eventsLost = reader.EventsLost;

            cancel.ThrowIfCancellationRequested();
            SnapshotLoss loss = SnapshotLoss.Of(collector, walkEnded);
            if (loss.Any)
                throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"the heap snapshot of process {pid} is incomplete, the runtime dropped events when the session's {bufferMB:N0} MiB buffer filled up: {loss.Describe()}; "
                    + $"the process is ready for another attempt: try again with a larger --buffer, or take a dump instead (`leaklab dump --pid {pid}`)");

            // Only now, so it competes neither with the session start nor with the target's GC; it overlaps the graph build.
            // Disposing kills it if the snapshot fails or gives up on it first.
            using DacReaderProcess? staticsReader = StaticFieldOwners.StartReading(pid);
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
            HeapGraph graph = collector.Data.ToGraph(info, collector.WalkGc, () => AwaitStaticOwners(staticsReader, progress), eventsLost);
            clock.Stop();
            progress?.Report($"snapshot of process {pid}: {graph.NodeCount:N0} objects, {graph.TypeCount:N0} types, {graph.Roots.Count:N0} roots in {clock.Elapsed.TotalSeconds:0.00} s");
            return new HeapSnapshotResult(graph, sessionStart, TimeSpan.FromMilliseconds(collector.PauseMs), clock.Elapsed, collector.WalkGc)
            {
                BufferMB = bufferMB,
                WalkReceived = walkReceived,
                StreamBytes = streamBytes,
            };
        }
        finally
        {
            if (session is not null)
                Abandon(session, reader);
            ForgetLoggedTypes(pid);
        }
    }

    /// <summary>The declaring types of static fields, or none when ClrMD could not read them in time (see <see cref="StaticFieldOwners"/>).</summary>
    private static StaticFieldOwners AwaitStaticOwners(DacReaderProcess? reader, IProgress<string>? progress)
    {
        StaticFieldOwners statics = StaticFieldOwners.Finish(reader, s_stopTimeout);
        if (statics.Slots.Count > 0)
            return statics;
        progress?.Report("could not read the declaring types of static fields; static roots are named by field only");
        return StaticFieldOwners.None;
    }

    /// <remarks>
    /// The runtime walks the heap inside this request, whatever the client does. Hanging up before it answers leaves a
    /// session we cannot stop that keeps the Type keyword on until its first failed write, so the runtime's memory of
    /// the types it named outlives it and the next snapshot's types come out unnamed. On timeout or cancellation the
    /// request is therefore allowed to finish (up to <see cref="s_abandonWait"/>) and its session stopped properly
    /// before the error is thrown.
    /// </remarks>
    private static EventPipeSession StartSession(int pid, int bufferMB, TimeSpan timeout, CancellationToken userCancel)
    {
        var provider = new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, HeapSnapshotKeywords | GenerationRangeKeywords);
        Task<EventPipeSession> start;
        try
        {
            start = new DiagnosticsClient(pid).StartEventPipeSessionAsync([provider], requestRundown: false, bufferMB, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or UnauthorizedAccessException or IOException or TimeoutException)
        {
            throw SnapshotTarget.Translate(ex, pid);
        }
        try
        {
            if (!start.Wait(timeout, userCancel))
            {
                CloseWhenStarted(start);
                throw SnapshotTarget.Timeout(pid, timeout);
            }
            return start.Result;
        }
        catch (OperationCanceledException) when (userCancel.IsCancellationRequested)
        {
            CloseWhenStarted(start);
            throw;
        }
        catch (AggregateException ex) when (ex.InnerException is DiagnosticsClientException or UnauthorizedAccessException or IOException or TimeoutException)
        {
            throw SnapshotTarget.Translate(ex.InnerException, pid);
        }
    }

    /// <summary>Lets an abandoned start request finish, drains what its session sends, and stops it.</summary>
    private static void CloseWhenStarted(Task<EventPipeSession> start)
    {
        try
        {
            if (!start.Wait(s_abandonWait))
                return; // the target does not answer (stopped?); closing the connection is all we can do
            using EventPipeSession session = start.Result;
            Stream events = session.EventStream;
            Task drain = Task.Run(() => events.CopyTo(Stream.Null));
            using var stop = new CancellationTokenSource(s_stopTimeout);
            session.StopAsync(stop.Token).GetAwaiter().GetResult();
            drain.Wait(s_stopTimeout);
        }
        catch (Exception ex) when (ex is AggregateException or DiagnosticsClientException or IOException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            // The target went away or failed the request: nothing is left to stop.
        }
    }

    /// <summary>
    /// Waits for the heap walk's GCStop. Returns false when the walk began but its end will not come: the runtime walks
    /// the heap inside the session start and streams what it buffered right away, so once the walk's events stop
    /// arriving and everything received is parsed, the rest was dropped (a full buffer drops the newest events).
    /// The timeout counts while nothing of the walk arrives; a big walk that keeps arriving is never cut off.
    /// </summary>
    private static bool WaitForHeapWalk(EventReader reader, HeapEventCollector collector, int pid, Stopwatch clock, TimeSpan timeout, CancellationToken userCancel)
    {
        while (true)
        {
            int signalled = WaitHandle.WaitAny([collector.Completed, reader.Finished, userCancel.WaitHandle], s_poll);
            if (collector.IsCompleted)
                return true;
            if (signalled == WaitHandle.WaitTimeout)
            {
                bool arriving = collector.WalkStarted && (reader.Pump.QueuedBytes > 0 || collector.SinceLastWalkEvent < s_quietAfterWalk);
                if (collector.WalkStarted && !arriving)
                    return false;
                if (clock.Elapsed > timeout && !arriving)
                    throw SnapshotTarget.Timeout(pid, timeout);
                continue;
            }
            userCancel.ThrowIfCancellationRequested();
            // The stream ended first: the process exited, or the runtime closed the session.
            if (!ProcFs.IsRunning(pid))
                throw SnapshotTarget.Exited(pid, reader.Error);
            throw reader.Error is { } error
                ? SnapshotTarget.Translate(error, pid)
                : new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"process {pid} ended the EventPipe session before its heap walk finished; try again");
        }
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

    /// <summary>
    /// After a failed attempt (timeout, cancellation, lost events, an error): asks the runtime to end the session, then
    /// closes our end, so the runtime stops writing into its buffer and frees it before the next attempt starts one.
    /// </summary>
    private static void Abandon(EventPipeSession session, EventReader? reader)
    {
        if (reader is not null)
            StopSession(session, reader);
        session.Dispose();
        reader?.Finished.WaitOne(TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// Makes the runtime name every type again in the next heap snapshot. The runtime logs each type once (BulkType)
    /// and forgets what it logged only when it sees the Type keyword switched off; when this snapshot's session ends while
    /// another session keeps the runtime provider enabled (a live trace, another tool), that moment is missed and the
    /// next snapshot would name its types "unknown". Starting and stopping a short session without that keyword is such
    /// a moment. Cheap (one round trip), so every snapshot does it on the way out, failed or not.
    /// </summary>
    internal static void ForgetLoggedTypes(int pid)
    {
        if (!ProcFs.IsRunning(pid) || ProcFs.ReadState(pid) is 'T' or 't')
            return; // gone, or stopped: it would not answer, and the next snapshot says so itself
        const long gcKeyword = 0x1;
        var provider = new EventPipeProvider(RuntimeProvider, EventLevel.Informational, gcKeyword);
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        try
        {
            using EventPipeSession session = new DiagnosticsClient(pid)
                .StartEventPipeSessionAsync(new EventPipeSessionConfiguration([provider], 1, requestRundown: false, requestStackwalk: false), timeout.Token)
                .GetAwaiter().GetResult();
            session.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            // The target is gone or busy; the next snapshot will say so itself.
        }
    }

    /// <summary>
    /// Parses the session's event stream on its own thread until the stream ends. A second thread (<see cref="Pump"/>)
    /// drains the socket into memory ahead of the parser, so the target's buffer empties as fast as the socket allows.
    /// </summary>
    private sealed class EventReader
    {
        private readonly ManualResetEvent _finished = new(false);

        public EventReader(EventPipeSession session, HeapEventCollector collector)
        {
            Pump = new EventStreamPump(session.EventStream);
            var thread = new Thread(() =>
            {
                try
                {
                    // The constructor reads the stream header, so it blocks like Process() does: both belong on this thread.
                    using var source = new EventPipeEventSource(Pump);
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
                Name = "LeakLab EventPipe parser",
            };
            thread.Start();
        }

        public EventStreamPump Pump { get; }
        public WaitHandle Finished => _finished;
        public Exception? Error { get; private set; }
        /// <summary>Events the runtime reported dropped (its buffers were full); read once <see cref="Finished"/> is set.</summary>
        public long EventsLost { get; private set; }
    }
}
