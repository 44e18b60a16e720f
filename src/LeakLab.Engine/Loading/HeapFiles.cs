using System.Buffers.Binary;

namespace LeakLab.Engine.Loading;

/// <summary>
/// Cheap checks on an input path before handing it to ClrMD or the snapshot reader, so the common mistakes (a typo, a
/// folder, a log file, a copy cut short) get a one-line answer instead of a loader exception or, worse, a half-read heap.
/// The kind is decided by the file's first bytes, never by its extension: a dump renamed .llhg is still read as a dump.
/// <see cref="Open"/> is the one way every host turns a file name into an <see cref="IHeapSource"/>.
/// </summary>
public static class HeapFiles
{
    private static ReadOnlySpan<byte> SnapshotMagic => "LLHG"u8;

    /// <summary>
    /// Checks <paramref name="file"/> (<see cref="Check"/>) and returns the source that reads it: a
    /// <see cref="DumpSource"/> for a dump, a <see cref="SnapshotFileSource"/> for a .llhg snapshot.
    /// </summary>
    /// <param name="file">A dump or .llhg path, relative to the current folder or absolute.</param>
    /// <param name="options">For dumps: the DAC, progress and cancellation. A snapshot needs no DAC.</param>
    /// <exception cref="LeakLabException">As for <see cref="Check"/>; and <see cref="LeakLabErrorKind.MissingDac"/> when
    /// <see cref="DumpLoadOptions.DacPath"/> names no file.</exception>
    public static IHeapSource Open(string file, DumpLoadOptions? options = null) => Check(file).Open(options);

    /// <summary>
    /// Returns the absolute path of an existing, complete-looking dump or LeakLab heap snapshot (.llhg) and which one it is;
    /// throws <see cref="LeakLabException"/> otherwise (kinds <see cref="LeakLabErrorKind.BadArgument"/>,
    /// <see cref="LeakLabErrorKind.FileMissing"/>, <see cref="LeakLabErrorKind.NotADump"/>,
    /// <see cref="LeakLabErrorKind.TruncatedOrCorrupt"/>, <see cref="LeakLabErrorKind.Permission"/>).
    /// </summary>
    public static HeapFile Check(string file)
    {
        if (string.IsNullOrWhiteSpace(file))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "no dump file given; pass the path of a dump ('leaklab dump --pid N') or a snapshot ('leaklab snapshot --pid N').");
        string path = Path.GetFullPath(file);
        if (Directory.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"'{file}' is a folder, not a dump file; pass the path of a .dmp or .llhg file.");
        if (!File.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"dump file '{file}' does not exist; check the path, or take a dump with 'leaklab dump --pid N -o {file}'.");

        try
        {
            using FileStream stream = File.OpenRead(path);
            string? problem = Inspect(stream, out bool isSnapshot, out LeakLabErrorKind kind);
            if (problem is not null)
                throw new LeakLabException(kind, $"'{file}' {problem}");
            return new HeapFile(path, isSnapshot);
        }
        catch (UnauthorizedAccessException)
        {
            throw new LeakLabException(LeakLabErrorKind.Permission, $"cannot read dump file '{file}': permission denied; run as the user who owns it (dumps are written with mode 0600).");
        }
        catch (IOException ex)
        {
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"cannot read dump file '{file}': {ex.Message.ReplaceLineEndings(" ").Trim()}");
        }
    }

    /// <summary>
    /// The one-line error when <c>--dac</c> names a file that does not exist (<see cref="LeakLabErrorKind.MissingDac"/>),
    /// before any file is read.
    /// </summary>
    public static void RequireDac(string? dacPath)
    {
        if (dacPath is not null && !File.Exists(dacPath))
            throw new LeakLabException(LeakLabErrorKind.MissingDac, $"DAC file '{dacPath}' does not exist; pass --dac the path of libmscordaccore.so from the runtime version the dump was taken with.");
    }

    /// <summary>Like <see cref="Check"/>, for commands that need a real dump (ClrMD reads it): a snapshot gets a one-line error.</summary>
    public static string CheckDump(string file, string command)
    {
        HeapFile input = Check(file);
        if (input.IsSnapshot)
            throw new LeakLabException(LeakLabErrorKind.NotADump,
                $"'{file}' is a LeakLab heap snapshot, not a dump; '{command}' reads dumps with ClrMD, so pass a dump from 'leaklab dump --pid N'.");
        return input.Path;
    }

    /// <summary>Null when the stream looks like a whole dump, else what is wrong, phrased to follow the file name.</summary>
    /// <remarks>A snapshot is only recognised here; <see cref="HeapSnapshotFile.Load"/> checks its counts and checksum when it reads it.</remarks>
    internal static string? Inspect(Stream stream, out bool isSnapshot, out LeakLabErrorKind kind)
    {
        string? problem = Inspect(stream, out isSnapshot);
        kind = problem is null ? default
            : problem.StartsWith("is truncated", StringComparison.Ordinal) || problem.StartsWith("is empty", StringComparison.Ordinal) ? LeakLabErrorKind.TruncatedOrCorrupt
            : LeakLabErrorKind.NotADump;
        return problem;
    }

    private static string? Inspect(Stream stream, out bool isSnapshot)
    {
        const string notADump =
            "is not a dump or snapshot (it starts like neither an ELF core file, a minidump nor a LeakLab .llhg snapshot); take one with 'leaklab dump --pid N' or 'leaklab snapshot --pid N'.";
        isSnapshot = false;
        const string truncated = "is truncated: the dump's own header names data beyond the end of the file; copy it again or take a new dump.";
        long length = stream.Length;
        Span<byte> head = stackalloc byte[64];
        int read = Read(stream, 0, head);
        if (read < 4)
            return length == 0 ? "is empty; take a new dump with 'leaklab dump --pid N'." : notADump;

        if (head[..4].SequenceEqual(SnapshotMagic))
        {
            isSnapshot = true;
            return null;
        }
        if (head[0] == 0x7f && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F')
        {
            if (read < 64 || head[4] != 2 || head[5] != 1)
                return read < 64 ? truncated : "is an ELF file but not a 64-bit little-endian core dump; LeakLab reads dumps of x64 and arm64 processes.";
            if (BinaryPrimitives.ReadUInt16LittleEndian(head[0x10..]) != 4) // ET_CORE
                return "is an ELF file but not a core dump (perhaps a program or library); take a dump with 'leaklab dump --pid N'.";
            return ElfEndOfData(stream, head) is long end && end > length ? truncated : null;
        }
        if (head[0] == (byte)'M' && head[1] == (byte)'D' && head[2] == (byte)'M' && head[3] == (byte)'P')
            return MinidumpEndOfData(stream, head, read) is long end && end > length ? truncated : null;
        return notADump;
    }

    /// <summary>The end of the furthest segment the ELF program headers describe, or null when they cannot be read.</summary>
    private static long? ElfEndOfData(Stream stream, ReadOnlySpan<byte> header)
    {
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(header[0x28..]);
        int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]);
        long phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
        if (phentsize < 56 || phoff > long.MaxValue)
            return null;
        if (phnum == 0xffff)
        {
            // PN_XNUM: more than 65534 segments (big heaps); the real count is sh_info of section header 0.
            Span<byte> section = stackalloc byte[4];
            if (shoff > long.MaxValue - 0x2c || Read(stream, (long)shoff + 0x2c, section) < 4)
                return long.MaxValue;
            phnum = BinaryPrimitives.ReadUInt32LittleEndian(section);
        }

        long tableEnd = (long)phoff + phnum * phentsize;
        if (tableEnd > stream.Length)
            return tableEnd;
        long end = tableEnd;
        byte[] table = new byte[checked((int)Math.Min(phnum * phentsize, 64L * 1024 * 1024))];
        int got = Read(stream, (long)phoff, table);
        for (int offset = 0; offset + 56 <= got; offset += phentsize)
        {
            ReadOnlySpan<byte> ph = table.AsSpan(offset, 56);
            ulong fileOffset = BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]);
            ulong fileSize = BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
            if (fileSize == 0)
                continue;
            if (fileOffset > long.MaxValue || fileSize > long.MaxValue - fileOffset)
                return long.MaxValue;
            end = Math.Max(end, (long)(fileOffset + fileSize));
        }
        return end;
    }

    /// <summary>The end of the furthest stream the minidump directory lists, or null when it cannot be read.</summary>
    private static long? MinidumpEndOfData(Stream stream, ReadOnlySpan<byte> header, int read)
    {
        if (read < 16)
            return long.MaxValue;
        uint streams = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        uint directory = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        long directoryEnd = directory + streams * 12L;
        if (directoryEnd > stream.Length)
            return directoryEnd;
        byte[] entries = new byte[checked((int)Math.Min(streams * 12L, 16L * 1024 * 1024))];
        int got = Read(stream, directory, entries);
        long end = directoryEnd;
        for (int i = 0; i + 12 <= got; i += 12)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(entries.AsSpan(i + 4));
            uint rva = BinaryPrimitives.ReadUInt32LittleEndian(entries.AsSpan(i + 8));
            end = Math.Max(end, (long)rva + size);
        }
        return end;
    }

    private static int Read(Stream stream, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset >= stream.Length)
            return 0;
        stream.Position = offset;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }
}
