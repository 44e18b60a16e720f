using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// Records the heap-walk events of one GC exactly as they arrive (nodes in walk order, the flat edge stream, types,
/// roots) and signals <see cref="Completed"/> at that GC's GCStop. <see cref="RawHeapSnapshot"/> turns them into a graph.
/// </summary>
/// <remarks>
/// Handlers run on the event-processing thread. Once <see cref="Completed"/> is set they ignore everything, so the thread
/// that waited on it can read the data while the session is still being stopped.
/// The heap-walk GC is recognised by its events, not by its reason: the first GC that sends GCBulkNode events is the one
/// the session induced (the runtime walks the heap only in that forced GC), even if the program calls GC.Collect itself
/// while the session starts.
/// </remarks>
internal sealed class HeapEventCollector
{
    private const long NoGc = -1;

    private long _currentGc = NoGc;
    private double _currentGcStartMs;
    private long _walkGc = NoGc;
    private double _walkStartMs;
    private readonly ManualResetEventSlim _completed = new(false);
    private TraceEventSource? _source;

    public RawHeapSnapshot Data { get; } = new();

    /// <summary>Set at the GCStop of the GC that walked the heap.</summary>
    public WaitHandle Completed => _completed.WaitHandle;
    public bool IsCompleted => _completed.IsSet;

    /// <summary>GCStart to GCStop of the heap-walk GC, in ms of the trace clock.</summary>
    public double PauseMs { get; private set; }
    public long WalkGc => _walkGc;

    /// <summary>Events the runtime dropped before the walk's GCStop, by its per-thread sequence numbers (all kinds of event).</summary>
    public int LostEvents { get; private set; }

    /// <summary>GCBulkNode events received, and how many the runtime sent (its event index counts from 0 within the GC).</summary>
    public (int Received, long Sent) NodeEvents => (_nodeEvents, _nodeEventsSent);

    /// <summary>GCBulkEdge events received, and how many the runtime sent as far as we can tell (the last index seen + 1).</summary>
    public (int Received, long Sent) EdgeEvents => (_edgeEvents, _edgeEventsSent);

    /// <summary>True once the first heap-walk event arrived.</summary>
    public bool WalkStarted => Volatile.Read(ref _lastWalkEventTicks) != 0;

    /// <summary>Time since the last heap-walk event (node, edge, type, root) was parsed.</summary>
    public TimeSpan SinceLastWalkEvent => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastWalkEventTicks));

    private long _lastWalkEventTicks;
    private int _nodeEvents, _edgeEvents;
    private long _nodeEventsSent, _edgeEventsSent;

    public void Subscribe(TraceEventSource source)
    {
        _source = source;
        ClrTraceEventParser clr = source.Clr;
        clr.GCStart += OnGcStart;
        clr.GCStop += OnGcStop;
        clr.GCBulkNode += OnBulkNode;
        clr.GCBulkEdge += OnBulkEdge;
        clr.TypeBulkType += OnBulkType;
        clr.GCBulkRootEdge += OnRootEdge;
        clr.GCBulkRootStaticVar += OnStaticVar;
        clr.GCBulkRootConditionalWeakTableElementEdge += OnDependentHandle;
        clr.GCGenerationRange += OnGenerationRange;
    }

    private void OnGcStart(GCStartTraceData e)
    {
        if (IsCompleted)
            return;
        _currentGc = e.Count;
        _currentGcStartMs = e.TimeStampRelativeMSec;
    }

    private void OnGcStop(GCEndTraceData e)
    {
        if (IsCompleted || _walkGc == NoGc || e.Count != _walkGc)
            return;
        PauseMs = e.TimeStampRelativeMSec - _walkStartMs;
        LostEvents = _source?.EventsLost ?? 0;
        _completed.Set();
    }

    private bool InWalk()
    {
        if (IsCompleted)
            return false;
        Volatile.Write(ref _lastWalkEventTicks, Environment.TickCount64);
        if (_walkGc == NoGc)
        {
            _walkGc = _currentGc;
            _walkStartMs = _currentGcStartMs;
        }
        return _currentGc == _walkGc;
    }

    private void OnBulkNode(GCBulkNodeTraceData e)
    {
        if (!InWalk())
            return;
        _nodeEvents++;
        _nodeEventsSent = Math.Max(_nodeEventsSent, e.Index + 1L);
        RawHeapSnapshot d = Data;
        for (int i = 0; i < e.Count; i++)
        {
            GCBulkNodeValues v = e.Values(i);
            d.NodeAddresses.Add(v.Address);
            d.NodeSizes.Add(v.Size);
            d.NodeTypes.Add(d.TypeIndex(v.TypeID));
            d.NodeEdgeCounts.Add(v.EdgeCount);
        }
    }

    private void OnBulkEdge(GCBulkEdgeTraceData e)
    {
        if (!InWalk())
            return;
        _edgeEvents++;
        _edgeEventsSent = Math.Max(_edgeEventsSent, e.Index + 1L);
        var targets = Data.EdgeTargets;
        for (int i = 0; i < e.Count; i++)
            targets.Add(e.Values(i).Target);
    }

    private void OnBulkType(GCBulkTypeTraceData e)
    {
        // Types are logged as the walk first meets them, and also for static roots; keep every name we are given.
        if (IsCompleted)
            return;
        for (int i = 0; i < e.Count; i++)
        {
            GCBulkTypeValues v = e.Values(i);
            Data.NameType(v.TypeID, v.TypeName);
        }
    }

    private void OnRootEdge(GCBulkRootEdgeTraceData e)
    {
        if (!InWalk())
            return;
        for (int i = 0; i < e.Count; i++)
        {
            GCBulkRootEdgeValues v = e.Values(i);
            Data.Roots.Add(new RawRoot(v.RootedNodeAddress, v.GCRootKind, v.GCRootFlag, v.GCRootID));
        }
    }

    private void OnStaticVar(GCBulkRootStaticVarTraceData e)
    {
        if (!InWalk())
            return;
        for (int i = 0; i < e.Count; i++)
        {
            GCBulkRootStaticVarValues v = e.Values(i);
            Data.Statics.Add(new RawStatic(v.ObjectID, v.GCRootID, v.TypeID, v.FieldName, (v.Flags & GCRootStaticVarFlags.ThreadLocal) != 0));
        }
    }

    private void OnDependentHandle(GCBulkRootConditionalWeakTableElementEdgeTraceData e)
    {
        if (!InWalk())
            return;
        for (int i = 0; i < e.Count; i++)
        {
            GCBulkRootConditionalWeakTableElementEdgeValues v = e.Values(i);
            Data.DependentHandles.Add((v.GCKeyNodeID, v.GCValueNodeID));
        }
    }

    private void OnGenerationRange(GCGenerationRangeTraceData e)
    {
        if (IsCompleted || _currentGc == NoGc)
            return;
        Data.GenerationRanges.Add(new RawGenerationRange(_currentGc, e.Generation, e.RangeStart, e.RangeUsedLength, e.RangeReservedLength));
    }
}
