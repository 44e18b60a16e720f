namespace LeakLab.Core.Graph;

/// <summary>What keeps a root's object alive, as the runtime (or LeakLab's naming of it) reports it.</summary>
public enum RootKind : byte
{
    /// <summary>A static field, named <c>Namespace.Type.Field</c>.</summary>
    StaticField,
    /// <summary>A thread-static field.</summary>
    ThreadStaticField,
    /// <summary>A strong GC handle (GCHandle.Alloc, runtime-owned handles).</summary>
    StrongHandle,
    /// <summary>A pinned or async-pinned GC handle.</summary>
    PinnedHandle,
    /// <summary>Any other strong handle kind (ref-counted, sized-ref, dependent).</summary>
    OtherHandle,
    /// <summary>A local or register in a thread's stack frame, named by thread and method.</summary>
    ThreadStack,
    /// <summary>An object ready for finalization (f-reachable queue).</summary>
    FinalizerQueue,
    /// <summary>A timer in the runtime's timer queue (named by inspections).</summary>
    Timer,
    /// <summary>An event's delegate (named by inspections).</summary>
    Event,
    /// <summary>A root the source could not classify.</summary>
    Other,
}
