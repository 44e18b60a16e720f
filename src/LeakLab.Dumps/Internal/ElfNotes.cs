using System.Buffers.Binary;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Walks the records of an ELF note segment (Elf64_Nhdr: name size, descriptor size, type, then the 4-byte aligned
/// name and descriptor). Shared by the dump check (process info) and the build-id reader; bounds-checked, since
/// the bytes come from an untrusted file.
/// </summary>
internal static class ElfNotes
{
    /// <summary>Finds the first note of <paramref name="type"/> whose owner name equals <paramref name="owner"/> (any owner when empty).</summary>
    public static bool TryFind(ReadOnlySpan<byte> notes, uint type, ReadOnlySpan<byte> owner, out ReadOnlySpan<byte> descriptor)
    {
        int pos = 0;
        while (pos + 12 <= notes.Length)
        {
            int nameSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes[pos..]);
            int descSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes[(pos + 4)..]);
            uint noteType = BinaryPrimitives.ReadUInt32LittleEndian(notes[(pos + 8)..]);
            if (nameSize < 0 || descSize < 0)
                break;
            int desc = pos + 12 + Align4(nameSize);
            if (desc + (long)descSize > notes.Length)
                break;
            if (noteType == type && (owner.IsEmpty || notes.Slice(pos + 12, nameSize).SequenceEqual(owner)))
            {
                descriptor = notes.Slice(desc, descSize);
                return true;
            }
            pos = desc + Align4(descSize);
        }
        descriptor = default;
        return false;
    }

    private static int Align4(int value) => (value + 3) & ~3;
}
