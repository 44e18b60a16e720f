using System.Runtime.CompilerServices;
using LeakLab.Testing.Tests.Scenarios;
using Xunit.Abstractions;

namespace LeakLab.Testing.Tests;

/// <summary>S01, S02 and S06 caught in-process: the leaky variant fails with the right root and path, the fixed one passes.</summary>
public sealed class ScenarioTests(ITestOutputHelper output)
{
    private const string Ns = "LeakLab.Testing.Tests.Scenarios";

    [Fact]
    public void S01_static_cache_that_only_grows_fails_naming_the_static_field_and_its_path()
    {
        var failure = Assert.Throws<LeakAssertionException>(() =>
            LeakAssert.NoneSurvive<CachedOrder>(() => ProcessOrders(OrderService.Process)));
        output.WriteLine(failure.Message);

        Assert.Contains($"10 instances of {Ns}.CachedOrder survived the block", failure.Message);
        Assert.Contains($"root: static {Ns}.OrderCache.Entries", failure.Message);
        RetentionPath path = Assert.IsType<RetentionPath>(failure.Path);
        Assert.Equal(RootKind.StaticField, path.RootKind);
        Assert.Equal($"{Ns}.OrderCache.Entries", path.RootName);
        Assert.Equal(["_entries", "[]"], path.Steps.Skip(1).Select(s => s.Field));
        Assert.Equal($"{Ns}.CachedOrder", path.Steps[^1].Type);
    }

    [Fact]
    public void A_type_name_predicate_covers_a_whole_namespace_and_paths_can_be_turned_off()
    {
        Environment.SetEnvironmentVariable("LEAKLAB_TESTING_PATHS", "off");
        LeakAssertionException failure;
        try
        {
            LeakAssert.NoneSurvive(t => t.StartsWith(Ns + ".", StringComparison.Ordinal), () => ProcessOrders(OrderService.ProcessSafely), "scenario types");
            failure = Assert.Throws<LeakAssertionException>(() =>
                LeakAssert.NoneSurvive(t => t.StartsWith(Ns + ".", StringComparison.Ordinal), () => ProcessOrders(OrderService.Process), "scenario types"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("LEAKLAB_TESTING_PATHS", null);
        }

        Assert.Matches($@"^10 instances of scenario types survived the block \(counted after a full GC\):\n  {Ns}\.CachedOrder: \d+ before, \d+ after\n\(No retention path: LEAKLAB_TESTING_PATHS=off\.\)\n$", failure.Message);
        Assert.Null(failure.Path);
    }

    [Fact]
    public void S01_fixed_cache_passes() =>
        LeakAssert.NoneSurvive<CachedOrder>(() => ProcessOrders(OrderService.ProcessSafely));

    [Fact]
    public void S02_subscriber_never_unsubscribed_fails_naming_the_event_field_and_the_delegate_target()
    {
        WeakReference watcher = SubscribeAndDispose(() => new PriceWatcher());

        var failure = Assert.Throws<LeakAssertionException>(() => LeakAssert.Collected(watcher));
        output.WriteLine(failure.Message);

        Assert.Contains($"1 of 1 object expected to be garbage is still alive after a full GC:\n  {Ns}.PriceWatcher  x1", failure.Message);
        Assert.Contains("(this object;", failure.Message); // found by address, not by type
        RetentionPath path = Assert.IsType<RetentionPath>(failure.Path);
        Assert.Equal(RootKind.StaticField, path.RootKind);
        Assert.Equal($"{Ns}.PriceFeed.PriceChanged", path.RootName);
        Assert.StartsWith("System.EventHandler<System.Decimal>", path.Steps[0].Type);
        Assert.Equal("_target", path.Steps[^1].Field);
        Assert.Equal($"{Ns}.PriceWatcher", path.Steps[^1].Type);
        Assert.Contains($"root: static {Ns}.PriceFeed.PriceChanged", failure.Message);
        Assert.Contains(".PriceWatcher", failure.Message);
    }

    [Fact]
    public void S02_subscriber_that_unsubscribes_is_collected()
    {
        WeakReference watcher = SubscribeAndDispose(() => new UnsubscribingPriceWatcher());
        LeakAssert.Collected(watcher);
        LeakAssert.NoneSurvive<UnsubscribingPriceWatcher>(() => SubscribeAndDispose(() => new UnsubscribingPriceWatcher()));
    }

    [Fact]
    public void S06_linked_token_source_never_disposed_fails_naming_the_long_lived_source_and_the_registrations()
    {
        var failure = Assert.Throws<LeakAssertionException>(() =>
            LeakAssert.NoneSurvive<RequestContext>(() => HandleRequests(RequestHandler.Handle)));
        output.WriteLine(failure.Message);

        Assert.Contains($"5 instances of {Ns}.RequestContext survived the block", failure.Message);
        RetentionPath path = Assert.IsType<RetentionPath>(failure.Path);
        Assert.Equal($"{Ns}.AppLifetime.Stopping", path.RootName);
        Assert.Equal("System.Threading.CancellationTokenSource", path.Steps[0].Type);
        Assert.Equal("_registrations", path.Steps[1].Field);
        Assert.Contains(path.Steps, s => s.Type == "System.Threading.CancellationTokenSource+Linked1CancellationTokenSource");
        Assert.Equal($"{Ns}.RequestContext", path.Steps[^1].Type);
        Assert.Equal("_target", path.Steps[^1].Field); // the Action's target: request.Abort
        Assert.Contains($"root: static {Ns}.AppLifetime.Stopping", failure.Message);
    }

    [Fact]
    public void S06_linked_token_source_disposed_passes() =>
        LeakAssert.NoneSurvive<RequestContext>(() => HandleRequests(RequestHandler.HandleAndDispose));

    private static void ProcessOrders(Action<long, bool> process)
    {
        for (long id = 0; id < 20; id++)
        {
            try
            {
                process(Interlocked.Increment(ref s_nextOrder), id % 2 == 0);
            }
            catch (InvalidOperationException) { }
        }
    }

    private static long s_nextOrder;

    private static void HandleRequests(Action handle)
    {
        for (int i = 0; i < 5; i++)
            handle();
    }

    // Not inlined: the watcher must not stay in a local of the test method (README, "The JIT and locals").
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference SubscribeAndDispose(Func<IDisposable> create)
    {
        IDisposable watcher = create();
        PriceFeed.Publish(42m);
        watcher.Dispose();
        return new WeakReference(watcher);
    }
}
