namespace LeakLab.Capture;

/// <summary>A dump that <see cref="DumpCapture.Write"/> wrote.</summary>
/// <param name="Path">Absolute path of the dump file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Elapsed">How long writing it took (the target is frozen for most of that time).</param>
/// <param name="Pid">The process that was dumped.</param>
/// <param name="Attempts">
/// How many dumps it took: more than 1 when earlier ones caught the process in the middle of a garbage collection (their
/// heap cannot be walked) and were taken again.
/// </param>
public sealed record DumpResult(string Path, long Bytes, TimeSpan Elapsed, int Pid, int Attempts = 1);
