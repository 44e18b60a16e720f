using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Capture;

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
            // The DAC beside the libcoreclr.so the dump names (the process ran on this machine moments ago): ClrMD 4.2
            // reads a Linux runtime's version as 0.0 and refuses every DAC as mismatched when asked to find one itself.
            ClrInfo clr = target.ClrVersions[0];
            string dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
            using ClrRuntime runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
            return runtime.Heap.CanWalkHeap;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The loader gives the real error with its advice when the user opens the dump; the dump itself is written.
            return null;
        }
    }
}
