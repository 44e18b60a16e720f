using System.Buffers.Binary;

namespace LeakLab.Dumps.Runtime;

/// <summary>
/// The memory a core dump holds of the process: its PT_LOAD segments (address, size in memory, bytes written to the
/// file). A Windows minidump, or a file this cannot parse, has none (unknown).
/// </summary>
internal static class CoreMemoryMap
{
    public readonly record struct Segment(ulong Start, ulong Size, long FileSize);

    private const uint ProgramLoad = 1;
    private const int MaxProgramHeaders = 4_000_000;

    /// <summary>The loaded segments in address order; empty when the file is not an ELF core.</summary>
    public static IReadOnlyList<Segment> Segments(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.RandomAccess);
            Span<byte> header = stackalloc byte[64];
            if (file.ReadAtLeast(header, 64, throwOnEndOfStream: false) < 64 || !header[..4].SequenceEqual("\u007fELF"u8) || header[4] != 2)
                return [];
            long phOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            int phSize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
            long phCount = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
            if (phCount == 0xffff)
                phCount = ExtendedCount(file, header);
            if (phSize < 56 || phOffset <= 0 || phCount is <= 0 or > MaxProgramHeaders || phOffset + phSize * phCount > file.Length)
                return [];
            var table = new byte[phSize * phCount];
            file.Position = phOffset;
            file.ReadExactly(table);
            var segments = new List<Segment>();
            for (int i = 0; i < phCount; i++)
            {
                ReadOnlySpan<byte> ph = table.AsSpan(i * phSize, phSize);
                if (BinaryPrimitives.ReadUInt32LittleEndian(ph) == ProgramLoad)
                    segments.Add(new Segment(BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]), BinaryPrimitives.ReadUInt64LittleEndian(ph[40..]),
                        (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[32..])));
            }
            segments.Sort((a, b) => a.Start.CompareTo(b.Start));
            return segments;
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The segment holding <paramref name="address"/>, or -1.</summary>
    public static int Find(IReadOnlyList<Segment> segments, ulong address)
    {
        int lo = 0, hi = segments.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            Segment s = segments[mid];
            if (address < s.Start)
                hi = mid - 1;
            else if (address - s.Start >= s.Size)
                lo = mid + 1;
            else
                return mid;
        }
        return -1;
    }

    /// <summary>With PN_XNUM the real program-header count is sh_info of section header 0.</summary>
    private static long ExtendedCount(FileStream file, ReadOnlySpan<byte> header)
    {
        long shOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        if (shOffset <= 0 || shOffset + 64 > file.Length)
            return 0;
        Span<byte> section = stackalloc byte[64];
        file.Position = shOffset;
        file.ReadExactly(section);
        return BinaryPrimitives.ReadUInt32LittleEndian(section[44..]);
    }
}
