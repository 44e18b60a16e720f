using System.Runtime;

namespace LeakLab.Testing;

/// <summary>A full, blocking, compacting garbage collection that also runs pending finalizers.</summary>
public static class FullGc
{
    /// <summary>The rounds <see cref="Collect"/> runs unless told otherwise.</summary>
    public const int DefaultRounds = 3;

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds of: collect every generation (blocking, compacting, LOH compacted too),
    /// wait for pending finalizers, collect again.
    /// </summary>
    /// <remarks>
    /// Several rounds because one is not enough for everything that can die: an object whose finalizer runs is freed only by
    /// the next GC, and a finalizer may drop the last reference to further finalizable objects (chains need one round
    /// per link). After two rounds every survivor has also been promoted to generation 2, which later ephemeral GCs do
    /// not move; the snapshots rely on that. Cost: about 5–30 ms per round for a test process of a few hundred
    /// thousand objects (README).
    /// </remarks>
    public static void Collect(int rounds = DefaultRounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        for (int i = 0; i < rounds; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }
}
