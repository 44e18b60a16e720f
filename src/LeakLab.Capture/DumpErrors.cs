using Microsoft.Diagnostics.NETCore.Client;

namespace LeakLab.Capture;

/// <summary>
/// Turns what DiagnosticsClient.WriteDump throws into one-line <see cref="LeakLabException"/>s that say what to do.
/// Kept apart from <see cref="DumpCapture"/> so the mapping can be read (and tested) on its own.
/// </summary>
internal static class DumpErrors
{
    public static LeakLabException Translate(Exception ex, int pid, string path)
    {
        // The process may have exited while we were connecting: say that, not the transport error it caused.
        if (!ProcFs.IsRunning(pid))
            return new LeakLabException(LeakLabErrorKind.ProcessGone, $"process {pid} is not running (it exited before the dump was written); run `leaklab ps` to list .NET processes", ex);

        string text = ex.Message;
        switch (ex)
        {
            case UnauthorizedAccessException:
            case ServerNotAvailableException when Contains(text, "permission denied") || Contains(ex.InnerException?.Message, "permission denied"):
                return new LeakLabException(LeakLabErrorKind.Permission,
                    $"cannot connect to process {pid}'s diagnostic port: permission denied; run as the same user as the target or as root", ex);
            case ServerNotAvailableException:
                return new LeakLabException(LeakLabErrorKind.ProcessUnreachable,
                    $"cannot connect to process {pid}'s diagnostic port ({DumpCapture.OneLine(text)}); check that it is a .NET process with diagnostics enabled (`leaklab ps`)", ex);
            case UnsupportedCommandException:
                return new LeakLabException(LeakLabErrorKind.NoRuntime, $"process {pid}'s .NET runtime cannot write dumps on request ({DumpCapture.OneLine(text)}); it needs .NET 5 or later", ex);
            case ServerErrorException:
                return CreatedumpFailed(ex, pid, path);
            default:
                return new LeakLabException(LeakLabErrorKind.WriteFailed, $"writing a dump of process {pid} failed: {DumpCapture.OneLine(text)}", ex);
        }
    }

    /// <summary>A dump that did not finish in time; its createdump was stopped and its partial file deleted.</summary>
    public static LeakLabException TimedOut(int pid, string path, TimeSpan timeout, TimeSpan elapsed)
    {
        string resident = DumpTimeout.ResidentBytes(pid) is { } rss ? $", resident memory {rss / (1024.0 * 1024):0} MB" : "";
        string state = ProcFs.IsRunning(pid) ? $"process state {ProcFs.ReadState(pid)}{resident}" : "the process has exited";
        return new LeakLabException(LeakLabErrorKind.ProcessUnreachable, FormattableString.Invariant(
            $"the dump of process {pid} did not finish within {timeout.TotalSeconds:0.#} s (gave up after {elapsed.TotalSeconds:0.#} s; {state}), so it was stopped and the partial '{Path.GetFileName(path)}' deleted; ")
            + "check that the process responds (`leaklab ps`) and that the machine is not starved, then try again with a longer timeout (--timeout SECONDS)");
    }

    /// <summary>Every dump caught a garbage collection in the middle; the last one is kept for the record.</summary>
    public static LeakLabException AlwaysMidGc(int pid, string path, int attempts) =>
        new(LeakLabErrorKind.NoRuntime, $"{attempts} dumps of process {pid} in a row caught it in the middle of a garbage collection, so their heap cannot be walked "
            + $"(the last is kept at '{path}'); the process allocates heavily: try again in a moment, or use 'leaklab snapshot', which waits for its own GC");

    /// <summary>createdump's own log lines ("[createdump] Could not create output file ...") arrive inside the exception's message.</summary>
    private static LeakLabException CreatedumpFailed(Exception ex, int pid, string path)
    {
        string[] lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] createdump = lines.Where(l => l.Contains("[createdump]", StringComparison.Ordinal))
            .Select(l => l.Replace("[createdump]", "", StringComparison.Ordinal).Trim())
            .ToArray();
        string detail = createdump.Length > 0 ? string.Join("; ", createdump) : DumpCapture.OneLine(ex.Message);
        string folder = Path.GetDirectoryName(path) ?? path;
        if (Contains(detail, "Could not create output file") || Contains(detail, "Permission denied"))
            return new LeakLabException(LeakLabErrorKind.WriteFailed,
                $"process {pid} could not create '{path}' (createdump: {detail}); the dump is written by the target's user, so choose a folder that user can write to (e.g. /tmp) instead of '{folder}'", ex);
        return new LeakLabException(LeakLabErrorKind.WriteFailed, $"process {pid} failed to write the dump (createdump: {detail}); check free space in '{folder}' and try again", ex);
    }

    private static bool Contains(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}
