using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakLab.Testing.Internal;

/// <summary>
/// Follows objects from one heap snapshot to the next through every GC in between, from the GC's own survival and
/// movement events, so that "the same object" means the same object even after a compacting GC moved it.
/// </summary>
/// <remarks>
/// Addresses alone do not work: the blocking gen-2 GC that every heap snapshot induces usually compacts (measured:
/// after a block that freed some objects, no object of a type kept its address). With the GCHeapSurvivalAndMovement
/// keyword each GC reports, between GCStart and GCEnd: the generation ranges before it, then which ranges survived in
/// place and which moved where (old base, new base, length), then the ranges after it. An object in a condemned
/// generation that is in no surviving or moved range died. Background GCs do not move objects and are skipped;
/// what they free is caught when the tracked address is not an object of the same type in the second snapshot.
/// </remarks>
internal sealed class ObjectMoves : IDisposable
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const long SurvivalAndMovementKeyword = 0x400000;
    // Type | GCHeapAndTypeNames: see TypeName.
    private const long TypeNameKeywords = 0x80000 | 0x1000000;
    private const string UnknownTypePrefix = "<unknown type 0x";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private readonly List<GcMoves> _gcs = [];
    private readonly Dictionary<ulong, string> _typeNames = [];
    private readonly Lock _gate = new();
    private GcMoves? _current;
    private long _lastEnded = -1;
    private Exception? _error;

    private ObjectMoves(EventPipeSession session)
    {
        _session = session;
        _reader = new Thread(Read) { IsBackground = true, Name = "LeakLab object moves" };
        _reader.Start();
    }

    /// <summary>Starts following this process's GCs; every GC from now on is recorded.</summary>
    public static ObjectMoves Start()
    {
        var provider = new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, GcKeyword | SurvivalAndMovementKeyword | TypeNameKeywords);
        try
        {
            return new ObjectMoves(new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession([provider], requestRundown: false, circularBufferMB: 64));
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw new LeakLabException(LeakLabErrorKind.ProcessUnreachable, $"cannot follow this process's GCs over EventPipe ({ex.Message}); is DOTNET_EnableDiagnostics=0 set?", ex);
        }
    }

    /// <summary>
    /// Maps each address of <paramref name="before"/> (a snapshot walked in GC <paramref name="fromGc"/>) to where the
    /// object is after GC <paramref name="toGc"/>, or 0 when it died. Waits until that GC's events have arrived.
    /// </summary>
    /// <returns>The new addresses, and whether every GC in between was seen (false: some moves may be missing).</returns>
    public (ulong[] Addresses, bool Complete) Follow(HeapGraph before, long fromGc, long toGc)
    {
        WaitForGc(toGc);
        var addresses = new ulong[before.NodeCount];
        for (int v = 0; v < addresses.Length; v++)
            addresses[v] = before.Address((NodeId)v);

        List<GcMoves> gcs;
        lock (_gate)
            gcs = [.. _gcs.Where(g => g.Index > fromGc && g.Index <= toGc)];
        bool complete = gcs.Count == toGc - fromGc && gcs.All(g => g.Ended);
        foreach (GcMoves gc in gcs.Where(g => !g.Background))
            gc.Apply(addresses);
        return (addresses, complete);
    }

    /// <summary>
    /// The name of a type of a snapshot taken while this session ran: the snapshot's own name, or, when the snapshot
    /// could not name it, the name this session heard.
    /// </summary>
    /// <remarks>
    /// The runtime sends each type's name once per "logging epoch", and an epoch lasts as long as any session keeps the
    /// runtime provider enabled. With this session open from the first snapshot to the second, the second snapshot's
    /// session is not told again the names of the types the first one was told about, and names them
    /// "&lt;unknown type 0x…&gt;" (measured: every application type). This session hears every name, so it fills them in.
    /// </remarks>
    public string TypeName(string snapshotName)
    {
        if (!snapshotName.StartsWith(UnknownTypePrefix, StringComparison.Ordinal) ||
            !ulong.TryParse(snapshotName.AsSpan(UnknownTypePrefix.Length, snapshotName.Length - UnknownTypePrefix.Length - 1),
                System.Globalization.NumberStyles.HexNumber, null, out ulong typeId))
            return snapshotName;
        lock (_gate)
            return _typeNames.TryGetValue(typeId, out string? name) ? TypeNameNormalizer.Normalize(name) : snapshotName;
    }

    public void Dispose()
    {
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or TimeoutException or ObjectDisposedException) { }
        _reader.Join(s_wait);
        _session.Dispose();
    }

    private void WaitForGc(long index)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            lock (_gate)
            {
                if (_lastEnded >= index)
                    return;
                if (_error is not null || !_reader.IsAlive)
                    throw new LeakLabException(LeakLabErrorKind.Failed, $"the GC event stream of this process ended early ({_error?.Message ?? "no error"}); try again");
            }
            if (DateTime.UtcNow > deadline)
                throw new LeakLabException(LeakLabErrorKind.ProcessUnreachable, $"the events of GC #{index} did not arrive within {s_wait.TotalSeconds:0} s; the machine may be overloaded, try again");
            Thread.Sleep(10);
        }
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            ClrTraceEventParser clr = source.Clr;
            clr.GCStart += e =>
            {
                lock (_gate)
                {
                    _current = new GcMoves(e.Count, e.Depth, e.Type == GCType.BackgroundGC);
                    _gcs.Add(_current);
                }
            };
            clr.GCGenerationRange += e => _current?.AddRange(e.Generation, e.RangeStart, e.RangeUsedLength);
            clr.GCBulkSurvivingObjectRanges += e =>
            {
                for (int i = 0; i < e.Count; i++)
                    _current?.AddSurvivors(e.Values(i).RangeBase, e.Values(i).RangeLength);
            };
            clr.GCBulkMovedObjectRanges += e =>
            {
                for (int i = 0; i < e.Count; i++)
                    _current?.AddMove(e.Values(i).OldRangeBase, e.Values(i).NewRangeBase, e.Values(i).RangeLength);
            };
            clr.TypeBulkType += e =>
            {
                lock (_gate)
                {
                    for (int i = 0; i < e.Count; i++)
                    {
                        if (!string.IsNullOrWhiteSpace(e.Values(i).TypeName))
                            _typeNames[e.Values(i).TypeID] = e.Values(i).TypeName;
                    }
                }
            };
            clr.GCStop += e =>
            {
                lock (_gate)
                {
                    if (_current is { } gc && gc.Index == e.Count)
                        gc.Ended = true;
                    _lastEnded = Math.Max(_lastEnded, e.Count);
                    _current = null;
                }
            };
            source.Process();
        }
        catch (Exception ex)
        {
            lock (_gate)
                _error = ex;
        }
    }
}
