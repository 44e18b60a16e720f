using System.Globalization;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// How big the heap-snapshot session's circular buffer must be: big enough to hold the whole heap walk.
/// </summary>
/// <remarks>
/// The runtime runs the heap-walk GC inside the "start session" request, on its diagnostics thread, before it answers
/// and before it starts streaming (ds-eventpipe-protocol.c: ep_enable, then the reply, then ep_start_streaming). So
/// nothing drains the buffer during the walk: every GCBulkNode/GCBulkEdge event must fit, or the runtime drops it
/// (.NET 10 buffering is lossy). An object costs 32 bytes of GCBulkNode payload and each reference 12 of GCBulkEdge;
/// objects take at least 24 heap bytes and each reference 8 more, so the events are at most 1.5 times the heap's bytes.
/// The target's resident memory bounds its heap from above. The runtime allocates the buffer as events arrive and frees
/// it when the session ends, so the size is a ceiling, not a cost.
/// </remarks>
internal static class SessionBufferSize
{
    /// <summary>dotnet-gcdump's size, and ours for small processes.</summary>
    public const int MinimumMB = 256;

    /// <summary>Headroom for event headers, type and root events, and the target's own allocations during the walk.</summary>
    private const int HeadroomMB = 128;

    /// <summary>
    /// The buffer for process <paramref name="pid"/>: 1.6 times its resident memory plus headroom, at least
    /// <see cref="MinimumMB"/>, at most half of the machine's available memory (the target has to hold it).
    /// </summary>
    public static int For(int pid)
    {
        long residentKb = ReadKb($"/proc/{pid}/status", "VmRSS:") ?? 0;
        long wantedMb = (long)(residentKb * 1.6 / 1024) + HeadroomMB;
        long ceilingMb = ReadKb("/proc/meminfo", "MemAvailable:") is long availableKb ? availableKb / 2 / 1024 : int.MaxValue;
        return (int)Math.Clamp(Math.Min(wantedMb, ceilingMb), MinimumMB, int.MaxValue);
    }

    private static long? ReadKb(string path, string key)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    string value = line[key.Length..].Trim();
                    int space = value.IndexOf(' ');
                    return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb : null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return null;
    }
}
