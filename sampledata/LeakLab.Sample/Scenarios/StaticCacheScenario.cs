namespace LeakLab.Sample;

/// <summary>
/// S01 (and S13): a static cache that only grows. Each order is put in <see cref="OrderCache.Entries"/> while it is
/// processed and removed when it commits; a rejected order throws between the two, the caller swallows the
/// exception, and nothing rolls the cache back. One Step = one committed order (no trace) + one rejected order (leaked).
/// <c>--fixed</c>: Submit removes the entry in a <c>finally</c>, so a rejected order leaves no trace either.
/// </summary>
public sealed class StaticCacheScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _lastOrderId;

    public string Name => "static-cache";
    public string Description => "S01: OrderCache.Entries (static Dictionary) keeps every order whose processing threw";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        Action<long, int, bool> submit = _fixed ? OrderProcessor.SubmitWithRollback : OrderProcessor.Submit;
        submit(++_lastOrderId, _payloadBytes, true);
        try
        {
            submit(++_lastOrderId, _payloadBytes, false);
        }
        catch (OrderRejectedException)
        {
            // The bug: the failure is logged and swallowed, but the entry Submit added is never removed.
        }
    }
}

/// <summary>Orders being processed, by id. The leak's root: a static field that nothing ever trims.</summary>
public static class OrderCache
{
    public static readonly Dictionary<long, CachedOrder> Entries = new();
}

/// <summary>A small entry object holding the order's payload buffer.</summary>
public sealed class CachedOrder
{
    public readonly long OrderId;
    public readonly DateTime AddedUtc;
    public readonly byte[] Payload;

    public CachedOrder(long orderId, byte[] payload)
    {
        OrderId = orderId;
        AddedUtc = DateTime.UtcNow;
        Payload = payload;
    }
}

public static class OrderProcessor
{
    /// <summary>Caches the order, validates it, and removes it on commit. There is no try/finally: a rejection skips the removal.</summary>
    public static void Submit(long orderId, int payloadBytes, bool valid)
    {
        OrderCache.Entries[orderId] = new CachedOrder(orderId, new byte[payloadBytes]);
        if (!valid)
            throw new OrderRejectedException(orderId);
        OrderCache.Entries.Remove(orderId);
    }

    /// <summary>The fix: the entry leaves the cache whether processing commits or throws.</summary>
    public static void SubmitWithRollback(long orderId, int payloadBytes, bool valid)
    {
        OrderCache.Entries[orderId] = new CachedOrder(orderId, new byte[payloadBytes]);
        try
        {
            if (!valid)
                throw new OrderRejectedException(orderId);
        }
        finally
        {
            OrderCache.Entries.Remove(orderId);
        }
    }
}

public sealed class OrderRejectedException(long orderId) : Exception($"order {orderId} was rejected by validation");
