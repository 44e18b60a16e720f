using System.Security.Cryptography;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// What ties an index to its dump: the dump's length, last write time (UTC ticks) and a hash of its first 64 KiB
/// (the ELF headers and notes). A dump rewritten in place changes at least one of them.
/// </summary>
internal readonly record struct DumpIdentity(long Length, long WriteTicks, ulong HeadHash)
{
    private const int HeadBytes = 64 * 1024;

    public static DumpIdentity Of(string dumpPath)
    {
        var info = new FileInfo(dumpPath);
        using FileStream stream = File.OpenRead(dumpPath);
        byte[] head = new byte[(int)Math.Min(HeadBytes, info.Length)];
        stream.ReadExactly(head);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(head, hash);
        return new DumpIdentity(info.Length, info.LastWriteTimeUtc.Ticks, BitConverter.ToUInt64(hash));
    }
}
