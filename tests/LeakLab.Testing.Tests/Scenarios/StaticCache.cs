namespace LeakLab.Testing.Tests.Scenarios;

// S01 (docs/scenarios.md): a static cache that only grows. An order is cached while it is processed; when processing
// throws, the leaky service never takes it out again.

public sealed class CachedOrder(long id)
{
    public long Id { get; } = id;
    public byte[] Payload { get; } = new byte[512];
}

public static class OrderCache
{
    public static readonly Dictionary<long, CachedOrder> Entries = [];
}

public static class OrderService
{
    /// <summary>Leaky: the removal is skipped when <paramref name="fail"/> makes processing throw.</summary>
    public static void Process(long id, bool fail)
    {
        var order = new CachedOrder(id);
        lock (OrderCache.Entries)
            OrderCache.Entries[id] = order;
        Validate(order, fail);
        lock (OrderCache.Entries)
            OrderCache.Entries.Remove(id);
    }

    /// <summary>Fixed: the order leaves the cache whatever happens.</summary>
    public static void ProcessSafely(long id, bool fail)
    {
        var order = new CachedOrder(id);
        lock (OrderCache.Entries)
            OrderCache.Entries[id] = order;
        try
        {
            Validate(order, fail);
        }
        finally
        {
            lock (OrderCache.Entries)
                OrderCache.Entries.Remove(id);
        }
    }

    private static void Validate(CachedOrder order, bool fail)
    {
        if (fail)
            throw new InvalidOperationException($"order {order.Id} is invalid");
    }
}
