using System.Runtime.CompilerServices;
using LeakLab.Testing.Tests.Scenarios;

namespace LeakLab.Testing.Tests;

/// <summary>
/// What the assertions do while other tests allocate at the same time (README, "Parallel tests"): assertions about
/// your own objects or types hold; whole-heap views count the other thread's objects too.
/// </summary>
public sealed class ParallelTests
{
    private const string Ns = "LeakLab.Testing.Tests.Scenarios";

    [Fact]
    public void Assertions_about_own_objects_and_types_hold_while_another_thread_allocates()
    {
        using var busy = new BusyAllocator();
        long start = busy.Allocations;

        LeakAssert.Collected(MakeGarbage());
        LeakAssert.NoneSurvive<RequestContext>(() => HandleRequests(RequestHandler.HandleAndDispose));
        var failure = Assert.Throws<LeakAssertionException>(() =>
            LeakAssert.NoneSurvive<RequestContext>(() => HandleRequests(RequestHandler.Handle)));
        Assert.Contains($"3 instances of {Ns}.RequestContext survived the block", failure.Message);
        Assert.Equal($"{Ns}.AppLifetime.Stopping", failure.Path?.RootName);
        AllocateThousandBytes();
        Assert.Equal(1024, LeakAssert.AllocatesAtMost(1024, AllocateThousandBytes));

        Assert.True(busy.Allocations - start > 10_000, "the other thread kept allocating");
    }

    [Fact]
    public void Whole_heap_views_count_the_other_threads_objects()
    {
        using var busy = new BusyAllocator();
        AllocateThousandBytes();
        long process = LeakAssert.AllocatesAtMost(long.MaxValue, AllocateThenWait, AllocationScope.Process);
        long thread = LeakAssert.AllocatesAtMost(long.MaxValue, AllocateThenWait);

        HeapDifference difference = HeapComparison.Run(() => Thread.Sleep(100));

        Assert.Equal(1024, thread);
        Assert.True(process > 100 * 1024, $"the process-wide count includes the busy thread: {process:N0} bytes");
        TypeDifference noise = difference.Of(typeof(Noise));
        Assert.True(noise.New > 0 && noise.Dead > 0, $"the block touched no Noise, yet the comparison shows {noise}");
    }

    private static void AllocateThenWait()
    {
        AllocateThousandBytes();
        Thread.Sleep(50);
    }

    private static void HandleRequests(Action handle)
    {
        for (int i = 0; i < 3; i++)
            handle();
    }

    private static void AllocateThousandBytes() => GC.KeepAlive(new byte[1000]);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MakeGarbage() => new(new Marker());
}
