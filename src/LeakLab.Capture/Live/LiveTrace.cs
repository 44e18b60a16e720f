using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakLab.Capture.Live;

/// <summary>
/// One EventPipe session in a running .NET process that streams its System.Runtime counters, its GC timeline and
/// allocation samples to an <see cref="ILiveTraceListener"/> until <see cref="Stop"/> or until the process exits.
/// </summary>
/// <remarks>
/// The session costs the target little: counters once per interval, a handful of events per GC, one allocation sample
/// per ~100 KB allocated, each event with its call stack (a managed stack walk) unless <see cref="LiveTraceOptions.Stacks"/>
/// is off. Method names for those stacks come from a short rundown session at the start (methods compiled before) and
/// from the JIT's MethodLoad events during the session (methods compiled since). Heap snapshots (<see cref="HeapSnapshotCapture"/>) run
/// in their own session beside this one; their induced gen2 GCs show in the timeline with reason "Induced".
/// </remarks>
public sealed class LiveTrace : IDisposable
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const string CountersProvider = "System.Runtime";
    private const long GcKeyword = 0x1;
    private const long LoaderKeyword = 0x8;
    private const long JitKeyword = 0x10;
    private const long AllocationSamplingKeyword = 0x80000000000;
    private const int MaxFrames = 24;
    private const int CircularBufferMB = 64;

    private readonly EventPipeSession _session;
    // A second session for allocation samples with stacks (null without stacks): TraceLog's real-time source resolves
    // stacks but does not decode EventSource events, so the counters stay on a plain EventPipe source in _session.
    private readonly EventPipeSession? _stackSession;
    private readonly ManualResetEvent _finished = new(false);
    private readonly ManualResetEvent _stacksFinished = new(true);
    private long _events;
    private int _stopped;
    private readonly bool _randomized;
    // One shared frame array per distinct stack: samples from one call site share it. Reader thread only.
    private readonly Dictionary<string, string[]> _stackCache = new(StringComparer.Ordinal);

    private LiveTrace(int pid, EventPipeSession session, EventPipeSession? stackSession, TimeSpan sessionStart, ILiveTraceListener listener, bool randomized, bool allocations)
    {
        Pid = pid;
        _session = session;
        _stackSession = stackSession;
        SessionStart = sessionStart;
        _randomized = randomized;
        var thread = new Thread(() => Read(listener, allocations && stackSession is null)) { IsBackground = true, Name = "LeakLab live trace reader" };
        thread.Start();
        if (stackSession is not null)
        {
            _stacksFinished.Reset();
            new Thread(() => ReadStacks(stackSession, listener)) { IsBackground = true, Name = "LeakLab allocation stack reader" }.Start();
        }
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

    /// <summary>Which event the allocation samples come from: <see cref="AllocationSampler.Randomized"/> or <see cref="AllocationSampler.Tick"/>.</summary>
    public AllocationSampler Sampler => _randomized ? AllocationSampler.Randomized : AllocationSampler.Tick;

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
        bool randomized = options.Allocations && options.Sampler switch
        {
            AllocationSampler.Randomized => true,
            AllocationSampler.Tick => false,
            _ => Version.TryParse(SnapshotTarget.RuntimeVersion(pid)?.Split('-')[0], out Version? v) && v.Major >= 10,
        };
        bool stacks = options.Allocations && options.Stacks;
        long allocationKeywords = randomized ? AllocationSamplingKeyword : GcKeyword;
        EventPipeProvider[] providers =
        [
            new(CountersProvider, EventLevel.Informational, 0xffffffff, new Dictionary<string, string> { ["EventCounterIntervalSec"] = seconds }),
            // GCAllocationTick is a Verbose GC event; Informational gives the GC timeline alone.
            options.Allocations && !stacks
                ? new(RuntimeProvider, EventLevel.Verbose, GcKeyword | allocationKeywords)
                : new(RuntimeProvider, EventLevel.Informational, GcKeyword),
        ];
        using var deadline = new CancellationTokenSource(options.ConnectTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel);
        EventPipeSession session = Open(pid, new EventPipeSessionConfiguration(providers, CircularBufferMB, requestRundown: false, requestStackwalk: false),
            options, cancel, linked.Token);
        EventPipeSession? stackSession = null;
        if (stacks)
        {
            // Only the sampling event (and the JIT's MethodLoad events that name methods compiled from now on) walks stacks.
            EventPipeProvider runtime = new(RuntimeProvider, EventLevel.Verbose, allocationKeywords | JitKeyword | LoaderKeyword);
            try
            {
                stackSession = Open(pid, new EventPipeSessionConfiguration([runtime], CircularBufferMB, requestRundown: false, requestStackwalk: true),
                    options, cancel, linked.Token);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        return new LiveTrace(pid, session, stackSession, clock.Elapsed, listener, randomized, options.Allocations);
    }

    private static EventPipeSession Open(int pid, EventPipeSessionConfiguration configuration, LiveTraceOptions options, CancellationToken cancel, CancellationToken linked)
    {
        try
        {
            return new DiagnosticsClient(pid).StartEventPipeSessionAsync(configuration, linked).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw SnapshotTarget.Timeout(pid, options.ConnectTimeout);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or UnauthorizedAccessException or IOException or TimeoutException)
        {
            throw SnapshotTarget.Translate(ex, pid);
        }
    }

    /// <summary>
    /// Makes the runtime name every type again in the next heap snapshot. <see cref="HeapSnapshotCapture"/> now does this
    /// itself at the end of every snapshot, failed or not, so calling it is no longer needed.
    /// </summary>
    public void ForgetLoggedTypes() => HeapSnapshotCapture.ForgetLoggedTypes(Pid);

    /// <summary>Ends the sessions and waits (up to 10 s) for the readers to deliver what was still buffered.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        StopSession(_session, _finished);
        if (_stackSession is not null)
            StopSession(_stackSession, _stacksFinished);
    }

    private static void StopSession(EventPipeSession session, WaitHandle finished)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            session.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or ServerNotAvailableException)
        {
            // The target is gone or not answering; disposing the session closes the stream.
        }
        if (!finished.WaitOne(TimeSpan.FromSeconds(10)))
            session.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _session.Dispose();
        _stackSession?.Dispose();
        _finished.WaitOne(TimeSpan.FromSeconds(2));
        _stacksFinished.WaitOne(TimeSpan.FromSeconds(2));
    }

    private void Read(ILiveTraceListener listener, bool allocations)
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
            if (allocations)
                SubscribeAllocations(source, listener, stacks: false);
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

    /// <summary>
    /// Reads the allocation samples with their stacks. TraceLog's real-time source resolves each event's stack to method
    /// names: a rundown session at the start names what was compiled before, the JIT keyword what is compiled since.
    /// </summary>
    private void ReadStacks(EventPipeSession session, ILiveTraceListener listener)
    {
        try
        {
            using TraceLogEventSource source = TraceLog.CreateFromEventPipeSession(session, TraceLog.EventPipeRundownConfiguration.Enable(new DiagnosticsClient(Pid)));
            source.AllEvents += _ => Interlocked.Increment(ref _events);
            SubscribeAllocations(source, listener, stacks: true);
            source.Process();
        }
        catch (Exception ex)
        {
            Error ??= ex;
        }
        finally
        {
            _stacksFinished.Set();
        }
    }

    private void SubscribeAllocations(TraceEventDispatcher source, ILiveTraceListener listener, bool stacks)
    {
        if (_randomized)
        {
            source.Clr.AllocationSampling += e => listener.OnAllocation(new AllocationSample(
                Utc(e.TimeStamp), TypeName(e.TypeName), RandomizedWeight(e.ObjectSize), e.AllocationKind.ToString(), stacks ? Stack(e) : []));
        }
        else
        {
            source.Clr.GCAllocationTick += e => listener.OnAllocation(new AllocationSample(
                Utc(e.TimeStamp), TypeName(e.TypeName), e.AllocationAmount64, e.AllocationKind.ToString(), stacks ? Stack(e) : []));
        }
    }

    private static string TypeName(string? name) => string.IsNullOrEmpty(name) ? "?" : TypeNameNormalizer.Normalize(name);

    /// <summary>
    /// Bytes one randomized sample stands for: an object of S bytes is picked with probability 1 - e^(-S/100 KB) (the
    /// runtime's mean sampling distance), so it stands for S divided by that (Horvitz-Thompson).
    /// </summary>
    internal static long RandomizedWeight(long size)
    {
        const double mean = 100 * 1024;
        if (size <= 0)
            return (long)mean;
        return (long)Math.Round(size / -double.ExpM1(-size / mean));
    }

    /// <summary>The event's call stack, innermost first, as method names; frames the rundown did not name keep their module and address.</summary>
    private string[] Stack(TraceEvent e)
    {
        var frames = new List<string>();
        for (TraceCallStack? frame = e.CallStack(); frame is not null && frames.Count < MaxFrames; frame = frame.Caller)
        {
            TraceCodeAddress code = frame.CodeAddress;
            string method = code.FullMethodName;
            frames.Add(string.IsNullOrEmpty(method) ? $"{(string.IsNullOrEmpty(code.ModuleName) ? "?" : code.ModuleName)}!0x{code.Address:x}" : method);
        }
        string key = string.Join('\n', frames);
        if (!_stackCache.TryGetValue(key, out string[]? shared))
            _stackCache[key] = shared = [.. frames];
        return shared;
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
