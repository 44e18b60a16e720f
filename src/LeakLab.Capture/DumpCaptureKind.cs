namespace LeakLab.Capture;

/// <summary>How much of the target's memory a dump holds (createdump's -n, -h, -t and -u).</summary>
public enum DumpCaptureKind
{
    /// <summary>The GC heap plus what a debugger needs: everything LeakLab analyses. About 1.7× the GC heap size.</summary>
    WithHeap,
    /// <summary>Threads, stacks and modules, no GC heap. Small; not enough for heap analysis.</summary>
    Mini,
    /// <summary>Like <see cref="Mini"/>, with sensitive data (memory contents) left out.</summary>
    Triage,
    /// <summary>All process memory, including mapped images.</summary>
    Full,
}
