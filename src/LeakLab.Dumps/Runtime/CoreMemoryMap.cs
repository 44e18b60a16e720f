using System.Buffers.Binary;

namespace LeakLab.Dumps;

/// <summary>
/// The bytes a core dump holds of the process's memory: the sum of its PT_LOAD segments' file sizes (what createdump
/// wrote of each mapping). A Windows minidump, or a file this cannot parse, reads as 0 (unknown).
/// </summary>
internal static class CoreMemoryMap
{
    private const uint ProgramLoad = 1;
    private const int MaxProgramHeaders = 4_000_000;

    public static long DumpedBytes(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.RandomAccess);
            Span<byte> header = stackalloc byte[64];
            if (file.ReadAtLeast(header, 64, throwOnEndOfStream: false) < 64 || !header[..4].SequenceEqual("\u007fELF"u8) || header[4] != 2)
                return 0;
            long phOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            int phSize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
            long phCount = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
            if (phCount == 0xffff)
                phCount = ExtendedCount(file, header);
            if (phSize < 56 || phOffset <= 0 || phCount is <= 0 or > MaxProgramHeaders || phOffset + phSize * phCount > file.Length)
                return 0;
            var table = new byte[phSize * phCount];
            file.Position = phOffset;
            file.ReadExactly(table);
            long total = 0;
            for (int i = 0; i < phCount; i++)
            {
                ReadOnlySpan<byte> ph = table.AsSpan(i * phSize, phSize);
                if (BinaryPrimitives.ReadUInt32LittleEndian(ph) == ProgramLoad)
                    total += (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
            }
            return total;
        }
        catch (IOException)
        {
            return 0;
        }
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
