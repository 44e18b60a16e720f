using System.Buffers.Binary;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// One static field's storage as the runtime holds it: the slot's address, the object in it, and the root name.
/// For a value-type static the slot holds the box (a heap object whose fields are the struct's), so the root is the
/// box and the struct's fields become the path's first steps (<c>static Ns.Program.s_holder → Holder .Receipts</c>).
/// </summary>
internal readonly record struct StaticSlot(RootKind Kind, string Name, ulong Slot, ulong Object);

/// <summary>
/// Every static of a process (dump or live): regular and thread statics, of reference and value types, of plain
/// types and of closed generic instantiations (the base library's own included). Shared by the dump loader and the
/// EventPipe snapshot (linked into LeakLab.Capture), so a dump and a snapshot of one process name the same roots.
/// </summary>
/// <remarks>
/// ClrMD lists a module's types through its TypeDef→MethodTable map, which holds one method table per typedef and no
/// closed generic instantiation (<c>Registry&lt;Invoice&gt;</c>, <c>EqualityComparer&lt;Invoice&gt;</c>); their
/// statics then show only as "strong handle → Object[]", the runtime's statics bucket. Since .NET 9 every method table
/// with statics has a <c>DynamicStaticsInfo</c> {GC statics, non-GC statics, MethodTable*} placed right before its
/// <c>MethodTableAuxiliaryData</c>, and the method table points at that auxiliary data (at offset 32). Both live in the
/// loader heaps, so one scan of the high- and low-frequency loader heaps for words that point at a method table
/// whose auxiliary-data pointer lands 24 bytes later finds every method table with statics, generic or not, without
/// false positives. About 5 MB of loader heap for a small app; each hit is then read through ClrMD like any type.
/// </remarks>
internal static class StaticSlots
{
    private const int AuxiliaryDataOffset = 32;   // MethodTable::m_pAuxiliaryData
    private const int StaticsInfoSize = 24;       // DynamicStaticsInfo, just before the auxiliary data

    /// <summary>
    /// Statics first (by module, then the generic instantiations the scan found), then thread statics per live thread.
    /// Null slots are left out. <paramref name="failures"/> counts modules or types the DAC could not read.
    /// </summary>
    public static List<StaticSlot> Read(ClrRuntime runtime, IMemoryReader memory, IReadOnlyList<ClrThread> threads, CancellationToken cancel, out int failures)
    {
        failures = 0;
        var slots = new List<StaticSlot>();
        var threadSlots = new List<StaticSlot>();
        ClrAppDomain? domain = runtime.AppDomains.FirstOrDefault() ?? runtime.SystemDomain;
        if (domain is null)
            return slots;

        var seenTypes = new HashSet<ulong>();
        var types = new List<ClrType>();
        foreach (ClrModule module in runtime.EnumerateModules())
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                foreach (ClrType type in module.EnumerateTypesWithStaticFields())
                {
                    if (seenTypes.Add(type.MethodTable))
                        types.Add(type);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++; // a module the DAC cannot read (loading, unloading) costs its statics only
            }
        }
        foreach (ulong methodTable in MethodTablesWithStatics(runtime, memory, cancel))
        {
            if (!seenTypes.Add(methodTable))
                continue;
            try
            {
                if (runtime.Heap.GetTypeByMethodTable(methodTable) is { } type && !IsShared(type))
                    types.Add(type);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
            }
        }

        foreach (ClrType type in types)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                string typeName = TypeNameNormalizer.Normalize(type.Name ?? "?");
                foreach (ClrStaticField field in type.StaticFields)
                {
                    if (!HoldsObject(field))
                        continue;
                    ulong slot = field.GetAddress(domain);
                    if (slot != 0 && memory.ReadPointer(slot, out ulong value) && value != 0)
                        slots.Add(new StaticSlot(RootKind.StaticField, $"{typeName}.{field.Name}", slot, value));
                }
                foreach (ClrThreadStaticField field in type.ThreadStaticFields)
                {
                    if (!HoldsObject(field))
                        continue;
                    foreach (ClrThread thread in threads)
                    {
                        ulong slot = field.GetAddress(thread);
                        if (slot != 0 && memory.ReadPointer(slot, out ulong value) && value != 0)
                            threadSlots.Add(new StaticSlot(RootKind.ThreadStaticField, $"{typeName}.{field.Name} (thread {thread.ManagedThreadId})", slot, value));
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
            }
        }
        slots.AddRange(threadSlots);
        return slots;
    }

    /// <summary>
    /// A reference field holds its object in the slot; a value-type field (not a primitive) holds a pointer to its
    /// box there, a real heap object.
    /// </summary>
    private static bool HoldsObject(ClrField field) =>
        field.IsObjectReference || field.ElementType == ClrElementType.Struct;

    /// <summary>The canonical (__Canon) and open forms of a generic type own no statics of their own.</summary>
    private static bool IsShared(ClrType type) =>
        type.Name is null || type.Name.Contains("System.__Canon", StringComparison.Ordinal);

    /// <summary>Method tables with statics, found in the loader heaps (see the remarks on the class).</summary>
    internal static IEnumerable<ulong> MethodTablesWithStatics(ClrRuntime runtime, IMemoryReader memory, CancellationToken cancel)
    {
        MemoryRange[] ranges;
        try
        {
            ranges = [.. runtime.EnumerateClrNativeHeaps()
                .Where(h => h.Kind is NativeHeapKind.LowFrequencyHeap or NativeHeapKind.HighFrequencyHeap && h.MemoryRange.Length > 0)
                .Select(h => h.MemoryRange)
                .Distinct()
                .OrderBy(r => r.Start)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [];
        }

        // Read every range once; the method tables sit in these ranges too, so their auxiliary-data pointers are
        // checked from the copies (one read per range, not one per candidate: live processes read by syscall).
        var copies = new byte[ranges.Length][];
        for (int r = 0; r < ranges.Length; r++)
        {
            cancel.ThrowIfCancellationRequested();
            byte[] copy = ranges[r].Length <= int.MaxValue ? new byte[ranges[r].Length] : [];
            int read = copy.Length == 0 ? 0 : Math.Max(memory.Read(ranges[r].Start, copy), 0);
            copies[r] = read == copy.Length ? copy : copy[..read];
        }

        var found = new HashSet<ulong>();
        for (int r = 0; r < ranges.Length; r++)
        {
            byte[] buffer = copies[r];
            for (int i = 0; i + StaticsInfoSize <= buffer.Length; i += 8)
            {
                ulong methodTable = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(i + 16));
                if ((methodTable & 7) != 0)
                    continue;
                int at = IndexOf(ranges, methodTable);
                if (at < 0)
                    continue;
                long offset = (long)(methodTable - ranges[at].Start) + AuxiliaryDataOffset;
                if (offset + 8 > copies[at].Length)
                    continue;
                ulong auxiliary = BinaryPrimitives.ReadUInt64LittleEndian(copies[at].AsSpan((int)offset));
                if (auxiliary == ranges[r].Start + (ulong)i + StaticsInfoSize)
                    found.Add(methodTable);
            }
        }
        return found;
    }

    /// <summary>The index of the range holding <paramref name="address"/>, or -1.</summary>
    private static int IndexOf(MemoryRange[] ranges, ulong address)
    {
        int lo = 0, hi = ranges.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (address < ranges[mid].Start)
                hi = mid - 1;
            else if (address >= ranges[mid].End)
                lo = mid + 1;
            else
                return mid;
        }
        return -1;
    }
}
