namespace LeakLab.Sample;

/// <summary>
/// S10: a pool that grows without bound and whose objects keep per-request data. <see cref="ReportBuilderPool"/>
/// creates a new <see cref="PooledReportBuilder"/> whenever none is free and records every builder it created (to
/// dispose them at shutdown). Requests whose client disconnects skip <c>Return</c>, so the pool never gets those
/// builders back and keeps creating new ones; and no builder clears its last <see cref="RequestData"/>, so returned
/// ones also hold on to the previous request. One Step = one request whose builder is never returned.
/// <c>--fixed</c>: <c>Return</c> in a <c>finally</c>, and <c>Return</c> clears the builder's request.
/// </summary>
/// <remarks>
/// Evidence: static field <c>LeakLab.Sample.ReportBuilderPool.s_shared</c> → <c>ReportBuilderPool</c>
/// <c>._created</c> → <c>List&lt;PooledReportBuilder&gt;</c> → array → <c>PooledReportBuilder</c> <c>._request</c> →
/// <c>RequestData</c> → <c>Byte[]</c>; the pool's retained size grows with the count of builders.
/// </remarks>
public sealed class PoolScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _requestId;

    public string Name => "pool";
    public string Description => "S10: ReportBuilderPool.s_shared creates builders without bound; unreturned ones keep their RequestData";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        ReportBuilderPool pool = ReportBuilderPool.Shared;
        PooledReportBuilder builder = pool.Rent();
        if (_fixed)
        {
            try
            {
                builder.Build(new RequestData(++_requestId, new byte[_payloadBytes]));
            }
            finally
            {
                builder.Clear();
                pool.Return(builder);
            }
            return;
        }
        builder.Build(new RequestData(++_requestId, new byte[_payloadBytes]));
        bool clientDisconnected = true; // this sample's clients always hang up early
        // The bug: Return is on the happy path only (no try/finally), and Return does not clear the request either.
        if (!clientDisconnected)
            pool.Return(builder);
    }
}

public sealed class ReportBuilderPool
{
    private static readonly ReportBuilderPool s_shared = new();
    private readonly Stack<PooledReportBuilder> _free = new();
    private readonly List<PooledReportBuilder> _created = [];

    public static ReportBuilderPool Shared => s_shared;

    public PooledReportBuilder Rent()
    {
        if (_free.TryPop(out PooledReportBuilder? builder))
            return builder;
        builder = new PooledReportBuilder(_created.Count);
        _created.Add(builder);
        return builder;
    }

    public void Return(PooledReportBuilder builder) => _free.Push(builder);
}

public sealed class PooledReportBuilder(int slot)
{
    private RequestData? _request;
    private readonly char[] _scratch = new char[64];

    public int Slot { get; } = slot;
    public RequestData? LastRequest => _request;

    /// <summary>Drops the last request, so a builder back in the pool holds no per-request data.</summary>
    public void Clear() => _request = null;

    public void Build(RequestData request)
    {
        _request = request;
        _scratch[0] = (char)('a' + request.Body.Length % 26);
    }
}

public sealed class RequestData(long requestId, byte[] body)
{
    public long RequestId { get; } = requestId;
    public byte[] Body { get; } = body;
}
