using System.Buffers.Binary;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Reads the GNU build-id note of an ELF shared library: the one reliable way to tell whether a local
/// libcoreclr.so is the exact build a dump was taken with (ClrMD reports version 0.0 on Linux dumps).
/// </summary>
internal static class ElfBuildId
{
    private const uint ProgramNote = 4, NoteGnuBuildId = 3;

    /// <summary>The build id, or null when the file is missing, not a 64-bit ELF file, or has no build-id note.</summary>
    public static byte[]? Read(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.RandomAccess);
            Span<byte> header = stackalloc byte[64];
            if (file.ReadAtLeast(header, 64, throwOnEndOfStream: false) < 64 || !header[..4].SequenceEqual("\u007fELF"u8) || header[4] != 2)
                return null;
            long phOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            int phSize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
            int phCount = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
            if (phSize < 56 || phCount is 0 or > 256 || phOffset + phSize * phCount > file.Length)
                return null;
            var table = new byte[phSize * phCount];
            file.Position = phOffset;
            file.ReadExactly(table);
            for (int i = 0; i < phCount; i++)
            {
                ReadOnlySpan<byte> ph = table.AsSpan(i * phSize, phSize);
                if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != ProgramNote)
                    continue;
                long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]);
                long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
                if (size is <= 0 or > 1 << 16 || offset + size > file.Length)
                    continue;
                var notes = new byte[size];
                file.Position = offset;
                file.ReadExactly(notes);
                byte[]? id = FindBuildId(notes);
                if (id is not null)
                    return id;
            }
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[]? FindBuildId(ReadOnlySpan<byte> notes) =>
        ElfNotes.TryFind(notes, NoteGnuBuildId, "GNU\0"u8, out ReadOnlySpan<byte> id) ? id.ToArray() : null;
}
