using System.Buffers.Binary;

namespace LeakLab.Core.Graph;

/// <summary>
/// The capture time of a dump, recorded in the dump file itself: a 32-byte trailer after the ELF core
/// (<c>"LEAKLAB-CAPTURED"</c>, then the UTC time in Unix milliseconds and the process id, little-endian).
/// </summary>
/// <remarks>
/// An ELF core holds no wall-clock time (createdump leaves the times in its NT_PRSTATUS notes at zero and does not
/// dump the vvar page), and a file's modification time changes when the file is copied. ELF readers (ClrMD,
/// dotnet-dump, gdb) find everything through offsets from the header, so bytes after the last segment are ignored
/// by them and travel with every copy. <c>leaklab dump</c> appends the trailer right after createdump finishes.
/// Dumps taken by other tools have none: their capture time is unknown.
/// </remarks>
public static class CaptureStamp
{
    private const int Length = 32;
    private static ReadOnlySpan<byte> Magic => "LEAKLAB-CAPTURED"u8;

    /// <summary>Appends the trailer to <paramref name="path"/>.</summary>
    public static void Append(string path, DateTimeOffset capturedAt, int processId)
    {
        Span<byte> trailer = stackalloc byte[Length];
        Magic.CopyTo(trailer);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[16..], capturedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(trailer[24..], processId);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(trailer);
    }

    /// <summary>The recorded capture time, or null when the file has no trailer (or cannot be read).</summary>
    public static DateTimeOffset? TryRead(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (file.Length < Length)
                return null;
            Span<byte> trailer = stackalloc byte[Length];
            file.Position = file.Length - Length;
            file.ReadExactly(trailer);
            if (!trailer[..16].SequenceEqual(Magic))
                return null;
            long ms = BinaryPrimitives.ReadInt64LittleEndian(trailer[16..]);
            return ms is > 0 and < 253402300800000 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
