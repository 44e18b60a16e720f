using Microsoft.Diagnostics.NETCore.Client;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// The checks and error messages around one snapshot target: the same one-line answers as <see cref="DumpCapture"/> for a
/// bad, dead, stopped or non-.NET pid, and the EventPipe-specific ones (timeout, exit mid-snapshot, lost events).
/// </summary>
internal static class SnapshotTarget
{
    /// <summary>Throws unless <paramref name="pid"/> is a running, reachable .NET process (the same checks and messages as a dump).</summary>
    public static void Require(int pid) => DumpCapture.RequireDotNetTarget(pid);

    /// <summary>The runtime version from the folder libcoreclr.so is mapped from (…/Microsoft.NETCore.App/10.0.12/), as the dump loader reports it.</summary>
    public static string? RuntimeVersion(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/maps"))
            {
                int at = line.IndexOf("/libcoreclr.so", StringComparison.Ordinal);
                if (at < 0)
                    continue;
                int slash = line.IndexOf('/');
                string folder = Path.GetFileName(Path.GetDirectoryName(line[slash..(at + "/libcoreclr.so".Length)]) ?? "");
                return folder is { Length: > 0 } && char.IsAsciiDigit(folder[0]) && folder.Contains('.') ? folder : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return null;
    }

    public static LeakLabException Timeout(int pid, TimeSpan timeout) =>
        ProcFs.IsRunning(pid)
            ? new LeakLabException(LeakLabErrorKind.ProcessUnreachable,
                $"no heap snapshot from process {pid} within {Seconds(timeout)}; is it suspended? Resume it (kill -CONT {pid}) or allow more time, then try again")
            : Exited(pid);

    public static LeakLabException Exited(int pid, Exception? inner = null) =>
        new(LeakLabErrorKind.ProcessGone, $"process {pid} exited before the heap snapshot finished; start it again and take a new snapshot", inner);

    /// <summary>Maps what DiagnosticsClient or the event stream threw to a one-line message that says what to do.</summary>
    public static LeakLabException Translate(Exception ex, int pid)
    {
        if (!ProcFs.IsRunning(pid))
            return Exited(pid, ex);
        string text = DumpCapture.OneLine(ex.Message);
        return ex switch
        {
            UnauthorizedAccessException => PermissionDenied(pid, ex),
            ServerNotAvailableException when Contains(text, "permission denied") || Contains(ex.InnerException?.Message, "permission denied") =>
                PermissionDenied(pid, ex),
            ServerNotAvailableException => new LeakLabException(LeakLabErrorKind.ProcessUnreachable,
                $"cannot connect to process {pid}'s diagnostic port ({text}); check that it is a .NET process with diagnostics enabled (`leaklab ps`)", ex),
            UnsupportedCommandException => new LeakLabException(LeakLabErrorKind.NoRuntime,
                $"process {pid}'s .NET runtime does not support EventPipe sessions ({text}); it needs .NET 5 or later, or take a dump instead (`leaklab dump --pid {pid}`)", ex),
            _ => new LeakLabException(LeakLabErrorKind.Failed,
                $"taking a heap snapshot of process {pid} failed: {text}; try again, or take a dump instead (`leaklab dump --pid {pid}`)", ex),
        };
    }

    private static LeakLabException PermissionDenied(int pid, Exception ex) =>
        new(LeakLabErrorKind.Permission, $"cannot connect to process {pid}'s diagnostic port: permission denied; run as the same user as the target or as root", ex);

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";

    private static bool Contains(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}
