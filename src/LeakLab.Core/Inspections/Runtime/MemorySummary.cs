namespace LeakLab;

/// <summary>
/// The process's memory as the dump holds it, in bytes: everything dumped (the core file's loaded segments), the GC
/// heap's committed memory, and the rest (native heaps, stacks, runtime data, mapped images), which grows when native
/// memory leaks and the GC heap does not.
/// </summary>
public sealed record MemorySummary(long DumpedBytes, long GcCommittedBytes, long NonGcBytes);
