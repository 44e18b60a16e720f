namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// A live process's memory as the kernel counts it (/proc/&lt;pid&gt;/smaps), in bytes, set against the managed GC heap:
/// resident in all (RSS), its anonymous part (heaps, stacks, GC heap) and file-backed part (mapped images and files),
/// swapped out, the peak RSS, the resident bytes inside the GC heap's ranges and the anonymous bytes outside them
/// (native heaps, thread stacks, runtime data), which grow when native memory leaks and the GC heap does not.
/// </summary>
/// <param name="GcHeapBytes">Resident bytes inside the GC heap's ranges; null when the ranges could not be read.</param>
/// <param name="NonGcBytes">Anonymous resident bytes outside the GC heap; null when the ranges could not be read.</param>
/// <param name="GcRangesFrom">
/// Where the GC heap's ranges came from: "eventpipe" (the generation ranges of a snapshot's GC: objects' regions, not
/// committed free regions) or "runtime" (the committed segments the runtime reports); null when unknown.
/// </param>
public sealed record ProcessMemory(long ResidentBytes, long AnonymousBytes, long FileBackedBytes, long SwappedBytes, long PeakResidentBytes,
    long? GcHeapBytes, long? NonGcBytes, string? GcRangesFrom);
