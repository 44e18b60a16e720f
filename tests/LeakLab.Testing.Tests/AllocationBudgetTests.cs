namespace LeakLab.Testing.Tests;

public sealed class AllocationBudgetTests
{
    // x64: 8-byte header + 8-byte method table + 8-byte length + 1,000 bytes.
    private const long ThousandByteArray = 1024;

    [Fact]
    public void Counts_a_known_allocation_to_the_byte()
    {
        AllocateThousandBytes(); // the first call compiles the method, which allocates too
        long allocated = LeakAssert.AllocatesAtMost(ThousandByteArray, AllocateThousandBytes);
        Assert.Equal(ThousandByteArray, allocated);
    }

    [Fact]
    public void Fails_over_budget_with_both_numbers()
    {
        AllocateThousandBytes();
        var failure = Assert.Throws<LeakAssertionException>(() => LeakAssert.AllocatesAtMost(1000, AllocateThousandBytes));
        Assert.Equal("The block allocated 1,024 bytes on this thread; the budget is 1,000 bytes (24 over).\n", failure.Message);
    }

    [Fact]
    public void An_allocation_free_block_passes_a_zero_budget()
    {
        int[] numbers = [1, 2, 3];
        Sum(numbers);
        Assert.Equal(0, LeakAssert.AllocatesAtMost(0, () => Sum(numbers)));
    }

    private static int s_sink;

    private static void Sum(int[] numbers)
    {
        foreach (int n in numbers)
            s_sink += n;
    }

    private static void AllocateThousandBytes() => GC.KeepAlive(new byte[1000]);
}
