namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// The process's memory as the dump holds it, in bytes: everything dumped (the core file's loaded segments), the GC
/// heap's committed memory, the managed threads' stacks, and the rest (native heaps, runtime data, mapped images),
/// which grows when native memory leaks and the GC heap does not.
/// </summary>
public sealed record MemorySummary(long DumpedBytes, long GcCommittedBytes, long ThreadStackBytes, long NonGcBytes);
