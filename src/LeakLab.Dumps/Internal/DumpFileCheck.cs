using System.Buffers.Binary;
using System.Text;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// What LeakLab learns from a dump file before ClrMD opens it: that it is a core dump or minidump at all, that it is
/// complete, and the process id and name recorded in an ELF core's NT_PRPSINFO note.
/// </summary>
/// <remarks>
/// ClrMD's own errors for a text file or a cut-off dump are stack-trace material ("Invalid ELF header", an
/// IndexOutOfRange deep in a reader); checking the headers ourselves turns the common cases into one-line answers.
/// Only the ELF header, the program headers and the notes are read, so this costs microseconds.
/// </remarks>
internal sealed class DumpFileCheck
{
    private const string TakeOne = "take one with `leaklab dump --pid N`";
    private const ushort ElfTypeCore = 4;
    private const uint ProgramLoad = 1, ProgramNote = 4;
    private const uint NotePrPsInfo = 3;
    private const int MaxProgramHeaders = 1 << 20; // a real core has thousands at most
    private const int MaxNotesBytes = 64 << 20;

    public int? ProcessId { get; private set; }
    public string? ProcessName { get; private set; }

    /// <summary>Throws <see cref="LeakLabException"/> unless <paramref name="path"/> looks like a complete dump.</summary>
    public static DumpFileCheck Run(string path)
    {
        if (Directory.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"{path} is a folder, not a dump file; {TakeOne}");
        if (!File.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"dump file not found: {path}; check the path, or {TakeOne}");

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.RandomAccess);
        long length = file.Length;
        if (length == 0)
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{path} is empty (0 bytes), not a core dump; {TakeOne}");

        Span<byte> header = stackalloc byte[64];
        int read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        var check = new DumpFileCheck();
        if (read >= 4 && header[..4].SequenceEqual("MDMP"u8))
            return check; // a Windows minidump: ClrMD reads it; nothing of ours to check
        if (read < 4 || !header[..4].SequenceEqual("\u007fELF"u8))
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{path} is not a core dump (no ELF/minidump header); {TakeOne}");
        if (read < 64)
            throw Truncated(path, length, 64);
        if (header[4] != 2 || header[5] != 1)
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{path} is not a 64-bit little-endian core dump; LeakLab reads dumps of 64-bit Linux processes");
        if (BinaryPrimitives.ReadUInt16LittleEndian(header[16..]) != ElfTypeCore)
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{path} is an ELF file but not a core dump (a program or library?); {TakeOne}");

        check.ReadProgramHeaders(file, path, length, header);
        return check;
    }

    private void ReadProgramHeaders(FileStream file, string path, long length, ReadOnlySpan<byte> header)
    {
        long phOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        int phSize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
        int phCount = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        if (phCount == 0xffff)
            phCount = ExtendedProgramHeaderCount(file, header, length); // PN_XNUM: more than 65534 mappings
        if (phSize < 56 || phOffset <= 0 || phCount == 0)
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{path} has a corrupt ELF header; take the dump again with `leaklab dump --pid N`");
        if (phOffset + (long)phSize * phCount > length)
            throw Truncated(path, length, phOffset + (long)phSize * phCount);

        var table = new byte[phSize * phCount];
        file.Position = phOffset;
        file.ReadExactly(table);

        long expected = 0;
        long noteOffset = -1, noteSize = 0;
        for (int i = 0; i < phCount; i++)
        {
            ReadOnlySpan<byte> ph = table.AsSpan(i * phSize, phSize);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(ph);
            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]);
            long fileSize = (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
            if (type is ProgramLoad or ProgramNote && offset >= 0 && fileSize > 0)
                expected = Math.Max(expected, offset + fileSize);
            if (type == ProgramNote && noteOffset < 0)
                (noteOffset, noteSize) = (offset, fileSize);
        }
        if (expected > length)
            throw Truncated(path, length, expected);
        if (noteOffset > 0 && noteSize is > 0 and <= MaxNotesBytes)
        {
            var notes = new byte[noteSize];
            file.Position = noteOffset;
            file.ReadExactly(notes);
            ReadNotes(notes);
        }
    }

    /// <summary>With PN_XNUM the real program-header count is sh_info of section header 0.</summary>
    private static int ExtendedProgramHeaderCount(FileStream file, ReadOnlySpan<byte> header, long length)
    {
        long shOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        if (shOffset <= 0 || shOffset + 64 > length)
            return 0;
        Span<byte> section = stackalloc byte[64];
        file.Position = shOffset;
        file.ReadExactly(section);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(section[44..]);
        return count is > 0 and <= MaxProgramHeaders ? (int)count : 0;
    }

    private void ReadNotes(ReadOnlySpan<byte> notes)
    {
        // struct elf_prpsinfo (x86-64/arm64): pid at 24, pr_fname[16] at 40, pr_psargs[80] at 56.
        if (!ElfNotes.TryFind(notes, NotePrPsInfo, [], out ReadOnlySpan<byte> info) || info.Length < 136)
            return;
        int pid = BinaryPrimitives.ReadInt32LittleEndian(info[24..]);
        ProcessId = pid > 0 ? pid : null;
        ProcessName = NameOf(CString(info.Slice(40, 16)), CString(info.Slice(56, 80)));
    }

    /// <summary>
    /// "dotnet" is the name of every framework-dependent app, so for <c>dotnet App.dll ...</c> the app's name is
    /// taken from the command line instead.
    /// </summary>
    private static string? NameOf(string fileName, string commandLine)
    {
        if (fileName == "dotnet")
        {
            string[] words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? dll = words.Skip(1).FirstOrDefault(w => !w.StartsWith('-'));
            if (dll is not null && dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                return Path.GetFileNameWithoutExtension(dll);
        }
        return fileName.Length > 0 ? fileName : null;
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? bytes[..end] : bytes).Trim();
    }


    private static LeakLabException Truncated(string path, long length, long expected) =>
        new(LeakLabErrorKind.TruncatedOrCorrupt, $"{path} is truncated ({length:N0} bytes, its headers need {expected:N0}): the dump was cut short; take it again with `leaklab dump --pid N`");
}
