using System.Globalization;

namespace LeakLab.Testing;

public static partial class LeakAssert
{
    /// <summary>Asserts that <paramref name="block"/> allocates at most <paramref name="maxBytes"/> bytes on the managed heap.</summary>
    /// <param name="maxBytes">The budget in bytes (0 for "allocation-free").</param>
    /// <param name="block">The code under test; its exceptions propagate.</param>
    /// <param name="scope">Whose allocations count; see <see cref="AllocationScope"/>.</param>
    /// <returns>The bytes the block allocated (object headers included: <c>new byte[1000]</c> is 1,024 bytes on x64).</returns>
    /// <remarks>
    /// Costs nothing beyond the block (two counter reads). Run the block once before measuring when it may be its
    /// first call: compiling and loading types allocates too. Object counts are not offered: the runtime counts bytes
    /// exactly, while objects are counted only by sampling events (one sample per ~100 KB), too coarse for a budget.
    /// </remarks>
    /// <exception cref="LeakAssertionException">The block allocated more; the message gives both numbers.</exception>
    public static long AllocatesAtMost(long maxBytes, Action block, AllocationScope scope = AllocationScope.CurrentThread)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentNullException.ThrowIfNull(block);
        long before = AllocatedBytes(scope);
        block();
        long allocated = AllocatedBytes(scope) - before;
        if (allocated > maxBytes)
        {
            string whose = scope == AllocationScope.CurrentThread ? "on this thread" : "in this process (all threads)";
            throw new LeakAssertionException(string.Create(CultureInfo.InvariantCulture,
                $"The block allocated {allocated:N0} bytes {whose}; the budget is {maxBytes:N0} bytes ({allocated - maxBytes:N0} over).\n"));
        }
        return allocated;
    }

    private static long AllocatedBytes(AllocationScope scope) => scope switch
    {
        AllocationScope.CurrentThread => GC.GetAllocatedBytesForCurrentThread(),
        AllocationScope.Process => GC.GetTotalAllocatedBytes(precise: true),
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Use AllocationScope.CurrentThread or AllocationScope.Process."),
    };
}
