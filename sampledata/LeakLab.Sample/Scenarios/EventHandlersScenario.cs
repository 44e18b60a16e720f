namespace LeakLab.Sample;

/// <summary>
/// S02: short-lived workers subscribe to a static publisher's event and never unsubscribe. The event's delegate
/// (its invocation list) keeps every <see cref="PriceSubscriber"/>, and its buffer, alive. One Step = one leaked subscriber.
/// <c>--fixed</c>: the worker disposes its subscriber, which unsubscribes (<c>-=</c>).
/// </summary>
public sealed class EventHandlersScenario : IScenario
{
    private int _payloadBytes = 1024;
    private long _steps;
    private bool _fixed;

    public string Name => "event-handlers";
    public string Description => "S02: PriceFeed.PriceChanged (static event) keeps every PriceSubscriber that never did -=";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        var worker = new PriceSubscriber(_payloadBytes);
        worker.ProcessOneQuote();
        if (_fixed)
            worker.Dispose();
        // The worker goes out of scope here, but PriceFeed.PriceChanged still references it.
        if (++_steps % 100 == 0)
            PriceFeed.Publish(_steps);
    }
}

/// <summary>A long-lived publisher: a static class with a field-like event, so the static field is named PriceChanged.</summary>
public static class PriceFeed
{
    public static event EventHandler? PriceChanged;

    public static long LastPrice;

    public static void Publish(long price)
    {
        LastPrice = price;
        PriceChanged?.Invoke(null, EventArgs.Empty);
    }
}

/// <summary>Subscribes in its constructor; the matching <c>PriceFeed.PriceChanged -= OnPriceChanged</c> is missing.</summary>
public sealed class PriceSubscriber : IDisposable
{
    private readonly byte[] _quoteBuffer;
    private long _received;

    public PriceSubscriber(int bufferBytes)
    {
        _quoteBuffer = new byte[bufferBytes];
        PriceFeed.PriceChanged += OnPriceChanged;
    }

    public void ProcessOneQuote()
    {
        if (_quoteBuffer.Length > 0)
            _quoteBuffer[0] = (byte)PriceFeed.LastPrice;
    }

    /// <summary>The fix: unsubscribe when the worker is done.</summary>
    public void Dispose() => PriceFeed.PriceChanged -= OnPriceChanged;

    private void OnPriceChanged(object? sender, EventArgs e) => _received++;
}
