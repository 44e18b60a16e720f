using Microsoft.Diagnostics.Runtime;

namespace LeakLab;

/// <summary>
/// Whether a freshly written dump's GC heap can be walked: a dump taken while a garbage collection was moving objects
/// cannot be (the same check the loader makes, ClrMD's <c>ClrHeap.CanWalkHeap</c>), and the user should learn that while
/// the process is still there to dump again, not later.
/// </summary>
internal static class DumpHeapCheck
{
    /// <summary>True when walkable, false when caught mid-GC, null when the dump cannot be checked here (no DAC, not .NET).</summary>
    public static bool? CanWalkHeap(string path)
    {
        try
        {
            using DataTarget target = DataTarget.LoadDump(path);
            if (target.ClrVersions.Length == 0)
                return null;
            using ClrRuntime runtime = target.ClrVersions[0].CreateRuntime();
            return runtime.Heap.CanWalkHeap;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The loader gives the real error with its advice when the user opens the dump; the dump itself is written.
            return null;
        }
    }
}
