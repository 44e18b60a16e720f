namespace LeakLab.Sample;

/// <summary>
/// Control (no leak): a bounded LRU cache with constant churn. Setup fills it to capacity, so from the READY line on
/// every Step allocates a new entry and evicts the oldest: lots of allocation, a fixed amount retained.
/// <c>--fixed</c> changes nothing: there is no bug to fix.
/// </summary>
public sealed class ControlScenario : IScenario
{
    private int _payloadBytes = 1024;
    private long _lastQuoteId;

    public string Name => "control";
    public string Description => "no leak: QuoteCache keeps the last 1,000 quotes (bounded LRU with churn)";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        for (int i = 0; i < QuoteCache.Capacity; i++)
            Step();
    }

    public void Step() => QuoteCache.Add(new Quote(++_lastQuoteId, new byte[_payloadBytes]));
}

/// <summary>The most recent quotes, newest first; the oldest is evicted above <see cref="Capacity"/>.</summary>
public static class QuoteCache
{
    public const int Capacity = 1000;

    private static readonly Dictionary<long, LinkedListNode<Quote>> s_byId = new(Capacity + 1);
    private static readonly LinkedList<Quote> s_recent = new();

    public static int Count => s_byId.Count;

    public static void Add(Quote quote)
    {
        s_byId[quote.Id] = s_recent.AddFirst(quote);
        if (s_byId.Count > Capacity)
        {
            Quote oldest = s_recent.Last!.Value;
            s_recent.RemoveLast();
            s_byId.Remove(oldest.Id);
        }
    }
}

public sealed class Quote
{
    public readonly long Id;
    public readonly byte[] Data;

    public Quote(long id, byte[] data)
    {
        Id = id;
        Data = data;
    }
}
