namespace LeakLab.Testing.Tests.Scenarios;

// S02 (docs/scenarios.md): short-lived subscribers += a static publisher's event and never -=.

public static class PriceFeed
{
    public static event EventHandler<decimal>? PriceChanged;

    public static void Publish(decimal price) => PriceChanged?.Invoke(null, price);
}

/// <summary>Leaky: Dispose forgets to unsubscribe, so the static event keeps every watcher alive.</summary>
public sealed class PriceWatcher : IDisposable
{
    private readonly decimal[] _history = new decimal[64];
    private int _count;

    public PriceWatcher() => PriceFeed.PriceChanged += OnPrice;

    public void Dispose() { }

    private void OnPrice(object? sender, decimal price) => _history[_count++ % _history.Length] = price;
}

/// <summary>Fixed: Dispose unsubscribes.</summary>
public sealed class UnsubscribingPriceWatcher : IDisposable
{
    private readonly decimal[] _history = new decimal[64];
    private int _count;

    public UnsubscribingPriceWatcher() => PriceFeed.PriceChanged += OnPrice;

    public void Dispose() => PriceFeed.PriceChanged -= OnPrice;

    private void OnPrice(object? sender, decimal price) => _history[_count++ % _history.Length] = price;
}
