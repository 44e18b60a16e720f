using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Everything the heap walk needs about one method table, computed once: the normalised name, how to size an
/// instance, where its references are, and (lazily) which field each reference slot belongs to.
/// </summary>
internal sealed class MethodTableInfo
{
    private int[]? _slotFields;

    public MethodTableInfo(ClrType type, string name, bool isFree, bool isString, GcDescLayout? layout, ulong loaderAllocator)
    {
        LoaderAllocator = loaderAllocator;
        Type = type;
        Name = name;
        IsFree = isFree;
        IsString = isString;
        IsArray = type.IsArray;
        BaseSize = (uint)Math.Max(type.StaticSize, 0);
        ComponentSize = (uint)Math.Max(type.ComponentSize, 0);
        Layout = layout;
    }

    public ClrType Type { get; }
    /// <summary>The name after <see cref="TypeNameNormalizer.Normalize"/>.</summary>
    public string Name { get; }
    /// <summary>The GC's free-space filler: walked over, never a node.</summary>
    public bool IsFree { get; }
    public bool IsString { get; }
    public bool IsArray { get; }
    public uint BaseSize { get; }
    public uint ComponentSize { get; }
    /// <summary>Null for types without references (or with an unreadable GCDesc).</summary>
    public GcDescLayout? Layout { get; }

    /// <summary>
    /// For a type from a collectible assembly load context: the LoaderAllocator object every instance keeps alive
    /// (the GC treats it as a hidden reference, and ClrMD reports it as one); else 0.
    /// </summary>
    public ulong LoaderAllocator { get; }

    /// <summary>The builder's type id, assigned when the first instance is added (-1 before).</summary>
    public int TypeId { get; set; } = -1;
    /// <summary>Instances and shallow bytes, for the statistics-only walk.</summary>
    public long Count { get; set; }
    public long Bytes { get; set; }

    /// <summary>
    /// Size as ClrMD's <c>ClrObject.Size</c> reports it (unaligned, at least three pointers), so LeakLab's per-type
    /// bytes equal what ClrMD and SOS show. <paramref name="components"/> is the length word of arrays and strings.
    /// </summary>
    public ulong SizeOf(uint components)
    {
        ulong size = BaseSize;
        if (ComponentSize != 0)
            size += ((ulong)components + (IsString ? 1u : 0u)) * ComponentSize; // strings store a terminator the length omits
        return Math.Max(size, 24);
    }

    /// <summary>
    /// Field id for each 8-byte slot of an instance (index = offset / 8), built on first use from ClrMD's field list:
    /// a reference field by its name, a reference inside an embedded struct as <c>outer.inner</c>.
    /// </summary>
    public int[] SlotFields(Func<string, FieldId> addField)
    {
        if (_slotFields is not null)
            return _slotFields;

        var slots = new int[Math.Max(BaseSize / 8, 1)];
        Array.Fill(slots, FieldIds.Unknown);
        // Fields of base classes are listed by ClrMD on the derived type; walking BaseType too costs nothing
        // and covers a version that does not.
        for (ClrType? t = Type; t is not null; t = t.BaseType)
            AddFields(t.Fields, 8, "", slots, addField, depth: 0);
        return _slotFields = slots;
    }

    private static void AddFields(IEnumerable<ClrInstanceField> fields, int baseOffset, string prefix, int[] slots, Func<string, FieldId> addField, int depth)
    {
        foreach (ClrInstanceField field in fields)
        {
            int offset = baseOffset + field.Offset;
            if (field.Offset < 0 || offset < 0)
                continue;
            string name = prefix + (field.Name ?? $"<field at {field.Offset}>");
            if (field.IsObjectReference)
            {
                int slot = offset / 8;
                if (offset % 8 == 0 && slot < slots.Length && slots[slot] == FieldIds.Unknown)
                    slots[slot] = addField(name);
            }
            else if (field.IsValueType && field.Type is { ContainsPointers: true } inner && depth < 8)
            {
                AddFields(inner.Fields, offset, name + ".", slots, addField, depth + 1);
            }
        }
    }
}
