using System.Globalization;

namespace LeakLab.Capture;

/// <summary>
/// How long <see cref="DumpCapture.Write"/> waits for a dump before it gives up: createdump copies the target's memory
/// into the file, so the time grows with the process's resident memory. The default is generous on purpose (a busy
/// 2-core machine writes far slower than an idle one); it exists so a dump that will never finish fails in minutes
/// with a message instead of hanging its host.
/// </summary>
public static class DumpTimeout
{
    /// <summary>The least any dump is given: 60 s (a small process on an idle machine takes about one second).</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The slowest write speed the default allows for, in bytes of resident memory per second: 10 MB/s, a tenth of what
    /// a busy 2-core machine with a shared disk managed for native-heavy samples.
    /// </summary>
    public const long BytesPerSecond = 10L * 1024 * 1024;

    /// <summary>
    /// The default for process <paramref name="pid"/>: <see cref="Minimum"/> plus one second per
    /// <see cref="BytesPerSecond"/> of its resident memory (e.g. 160 s for a 1 GB process). Just the minimum when the
    /// resident size cannot be read (the process is gone or not ours).
    /// </summary>
    public static TimeSpan For(int pid) => ForResident(ResidentBytes(pid) ?? 0);

    /// <summary>The default for a process of <paramref name="residentBytes"/>.</summary>
    public static TimeSpan ForResident(long residentBytes) =>
        Minimum + TimeSpan.FromSeconds(Math.Max(0, residentBytes) / (double)BytesPerSecond);

    /// <summary>Resident memory from /proc/&lt;pid&gt;/statm (its second field, in pages), or null.</summary>
    internal static long? ResidentBytes(int pid)
    {
        try
        {
            string[] fields = File.ReadAllText($"/proc/{pid}/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
                ? pages * Environment.SystemPageSize
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
