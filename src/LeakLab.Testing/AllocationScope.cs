namespace LeakLab.Testing;

/// <summary>Whose allocations an allocation budget counts.</summary>
public enum AllocationScope
{
    /// <summary>
    /// The thread that runs the block (<see cref="GC.GetAllocatedBytesForCurrentThread"/>): exact to the byte, and
    /// blind to other threads, so parallel tests do not disturb it; work the block hands to other threads (tasks,
    /// continuations after an await) is not counted either.
    /// </summary>
    CurrentThread,

    /// <summary>
    /// Every thread of the process (<see cref="GC.GetTotalAllocatedBytes"/> with precise counting): counts work on other
    /// threads, and also whatever other tests allocate at the same time.
    /// </summary>
    Process,
}
