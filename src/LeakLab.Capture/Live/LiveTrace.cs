using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using LeakLab.EventPipe;
using LeakLab.Linux;
using LeakLab.Live;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakLab;

/// <summary>
/// One EventPipe session in a running .NET process that streams its System.Runtime counters, its GC timeline and
/// allocation samples to an <see cref="ILiveTraceListener"/> until <see cref="Stop"/> or until the process exits.
/// </summary>
/// <remarks>
/// The session asks for no call stacks and no rundown, so it costs the target little: counters once per interval, a
/// handful of events per GC, one event per ~100 KB allocated. Heap snapshots (<see cref="HeapSnapshotCapture"/>) run
/// in their own session beside this one; their induced gen2 GCs show in the timeline with reason "Induced".
/// </remarks>
public sealed class LiveTrace : IDisposable
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const string CountersProvider = "System.Runtime";
    private const long GcKeyword = 0x1;
    private const int CircularBufferMB = 64;

    private readonly EventPipeSession _session;
    private readonly ManualResetEvent _finished = new(false);
    private long _events;
    private int _stopped;

    private LiveTrace(int pid, EventPipeSession session, TimeSpan sessionStart, ILiveTraceListener listener)
    {
        Pid = pid;
        _session = session;
        SessionStart = sessionStart;
        var thread = new Thread(() => Read(listener)) { IsBackground = true, Name = "LeakLab live trace reader" };
        thread.Start();
    }

    public int Pid { get; }

    /// <summary>Connecting and starting the session.</summary>
    public TimeSpan SessionStart { get; }

    /// <summary>Set when the event stream ended: after <see cref="Stop"/>, or because the target exited.</summary>
    public WaitHandle Finished => _finished;

    /// <summary>Whether the traced process is still running (not exited, not a zombie).</summary>
    public bool TargetRunning => ProcFs.IsRunning(Pid);

    /// <summary>Events read so far (all kinds, including ones no listener method receives).</summary>
    public long EventCount => Interlocked.Read(ref _events);

    /// <summary>Why reading stopped early, if it did.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Starts tracing process <paramref name="pid"/>; events go to <paramref name="listener"/> on a reader thread.</summary>
    /// <exception cref="LeakLabException">The process is not running, is not .NET, or cannot be reached in time.</exception>
    public static LiveTrace Start(int pid, ILiveTraceListener listener, LiveTraceOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        options ??= new LiveTraceOptions();
        SnapshotTarget.Require(pid);
        var clock = Stopwatch.StartNew();
        string seconds = ((int)Math.Round(options.CounterInterval.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        EventPipeProvider[] providers =
        [
            new(CountersProvider, EventLevel.Informational, 0xffffffff, new Dictionary<string, string> { ["EventCounterIntervalSec"] = seconds }),
            // GCAllocationTick is a Verbose GC event; Informational gives the GC timeline alone.
            new(RuntimeProvider, options.Allocations ? EventLevel.Verbose : EventLevel.Informational, GcKeyword),
        ];
        var configuration = new EventPipeSessionConfiguration(providers, CircularBufferMB, requestRundown: false, requestStackwalk: false);
        using var deadline = new CancellationTokenSource(options.ConnectTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel);
        EventPipeSession session;
        try
        {
            session = new DiagnosticsClient(pid).StartEventPipeSessionAsync(configuration, linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw SnapshotTarget.Timeout(pid, options.ConnectTimeout);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or UnauthorizedAccessException or IOException or TimeoutException)
        {
            throw SnapshotTarget.Translate(ex, pid);
        }
        return new LiveTrace(pid, session, clock.Elapsed, listener);
    }

    /// <summary>
    /// Makes the runtime name every type again in the next heap snapshot. <see cref="HeapSnapshotCapture"/> now does this
    /// itself at the end of every snapshot, failed or not, so calling it is no longer needed.
    /// </summary>
    public void ForgetLoggedTypes() => HeapSnapshotCapture.ForgetLoggedTypes(Pid);

    /// <summary>Ends the session and waits (up to 10 s) for the reader to deliver what was still buffered.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            _session.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or ServerNotAvailableException)
        {
            // The target is gone or not answering; disposing the session closes the stream.
        }
        if (!_finished.WaitOne(TimeSpan.FromSeconds(10)))
            _session.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _session.Dispose();
        _finished.WaitOne(TimeSpan.FromSeconds(2));
    }

    private void Read(ILiveTraceListener listener)
    {
        var timeline = new GcTimeline(listener.OnGc);
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.AllEvents += _ => Interlocked.Increment(ref _events);
            source.Dynamic.All += e =>
            {
                if (e.EventName == "EventCounters" && Counter(e) is { } sample)
                    listener.OnCounter(sample);
            };
            timeline.Subscribe(source.Clr);
            source.Clr.GCAllocationTick += e => listener.OnAllocation(new AllocationSample(
                Utc(e.TimeStamp), string.IsNullOrEmpty(e.TypeName) ? "?" : TypeNameNormalizer.Normalize(e.TypeName), e.AllocationAmount64, e.AllocationKind.ToString()));
            source.Process();
        }
        catch (Exception ex)
        {
            Error = ex;
        }
        finally
        {
            timeline.Flush();
            _finished.Set();
        }
    }

    private static RuntimeCounterSample? Counter(TraceEvent e)
    {
        // The event has one field, "Payload", a struct whose own "Payload" member holds the counter's fields.
        object? outer = e.PayloadNames.Length > 0 ? e.PayloadValue(0) : null;
        IDictionary<string, object>? payload = outer as IDictionary<string, object>;
        if (payload is not null && payload.TryGetValue("Payload", out object? inner) && inner is IDictionary<string, object> fields)
            payload = fields;
        if (payload is null || !payload.TryGetValue("Name", out object? name))
            return null;
        bool sum = payload.TryGetValue("CounterType", out object? type) && type as string == "Sum";
        if (!payload.TryGetValue(sum ? "Increment" : "Mean", out object? raw))
            return null;
        string unit = payload.TryGetValue("DisplayUnits", out object? u) ? u as string ?? "" : "";
        return new RuntimeCounterSample(Utc(e.TimeStamp), name.ToString() ?? "?", Convert.ToDouble(raw, CultureInfo.InvariantCulture), unit);
    }

    private static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);
}
