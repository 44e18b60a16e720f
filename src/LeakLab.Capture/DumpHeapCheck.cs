namespace LeakLab.Capture;

/// <summary>
/// Whether a freshly written dump's GC heap can be walked: a dump taken while a garbage collection was moving objects
/// cannot be (the same check the loader makes, ClrMD's <c>ClrHeap.CanWalkHeap</c>), and the user should learn that while
/// the process is still there to dump again, not later.
/// </summary>
/// <remarks>
/// The check runs in a child process (<see cref="DacReaderProcess"/>) under a deadline: it opens the dump through the
/// DAC, whose process-wide lock a stuck DAC call elsewhere in this process would hold forever, and a check that
/// overruns must cost only the check, never the dump.
/// </remarks>
internal static class DumpHeapCheck
{
    /// <summary>What the check found.</summary>
    public enum Outcome
    {
        /// <summary>The heap can be walked.</summary>
        Walkable,
        /// <summary>The dump caught a garbage collection in the middle: take it again.</summary>
        MidGc,
        /// <summary>It cannot be checked here (no DAC, not .NET, not a dump): the loader tells the real error later.</summary>
        Unknown,
        /// <summary>The check did not finish in the time it was given and was stopped.</summary>
        TimedOut,
    }

    /// <summary>The default time a check may take on its own (outside <see cref="DumpCapture.Write"/>).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>True when walkable, false when caught mid-GC, null when the dump cannot be checked here or in time.</summary>
    public static bool? CanWalkHeap(string path) => Check(path, DefaultTimeout) switch
    {
        Outcome.Walkable => true,
        Outcome.MidGc => false,
        _ => null,
    };

    /// <summary>Checks dump <paramref name="path"/> within <paramref name="timeout"/>; <paramref name="progress"/> hears the time spent.</summary>
    public static Outcome Check(string path, TimeSpan timeout, Action<TimeSpan>? progress = null)
    {
        using DacReaderProcess? reader = DacReaderProcess.Start("canwalk", path, timeout);
        if (reader is null)
            return Outcome.Unknown;
        return reader.Wait(timeout, progress) switch
        {
            null => reader.TimedOut ? Outcome.TimedOut : Outcome.Unknown,
            ["true"] => Outcome.Walkable,
            ["false"] => Outcome.MidGc,
            _ => Outcome.Unknown,
        };
    }
}
