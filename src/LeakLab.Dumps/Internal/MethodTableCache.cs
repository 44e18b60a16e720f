using System.Runtime.CompilerServices;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Method table → <see cref="MethodTableInfo"/>, asked once per distinct method table through ClrMD (which goes to
/// the DAC) and then answered from a dictionary. Heaps hold a few hundred types and millions of objects, and
/// neighbouring objects often share a type, so the last answer is checked first.
/// </summary>
internal sealed class MethodTableCache
{
    private readonly ClrHeap _heap;
    private readonly IMemoryReader _memory;
    private readonly Dictionary<ulong, MethodTableInfo?> _byMethodTable = [];
    private ulong _lastMethodTable;
    private MethodTableInfo? _last;

    public MethodTableCache(ClrHeap heap, IMemoryReader memory)
    {
        _heap = heap;
        _memory = memory;
    }

    public IEnumerable<MethodTableInfo> All => _byMethodTable.Values.OfType<MethodTableInfo>();

    /// <summary>The type at this method table, or null when it is not a valid method table (a corrupt object).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MethodTableInfo? Get(ulong methodTable)
    {
        if (methodTable == _lastMethodTable && _last is not null)
            return _last;
        if (!_byMethodTable.TryGetValue(methodTable, out MethodTableInfo? info))
        {
            info = Create(methodTable);
            _byMethodTable[methodTable] = info;
        }
        _lastMethodTable = methodTable;
        _last = info;
        return info;
    }

    /// <summary>
    /// The type at this method table if an earlier lookup found it valid; never asks the DAC. Used to find the next
    /// object after damaged memory, where most words are garbage and each would cost a DAC call.
    /// </summary>
    public MethodTableInfo? Known(ulong methodTable) =>
        _byMethodTable.TryGetValue(methodTable, out MethodTableInfo? info) ? info : null;

    private MethodTableInfo? Create(ulong methodTable)
    {
        if (methodTable == 0)
            return null;
        ClrType? type = _heap.GetTypeByMethodTable(methodTable);
        if (type is null)
            return null;
        bool isFree = type.IsFree || ReferenceEquals(type, _heap.FreeType);
        bool isString = type.IsString || ReferenceEquals(type, _heap.StringType);
        GcDescLayout? layout = type.ContainsPointers && !isFree ? GcDescLayout.Read(_memory, methodTable) : null;
        string name = TypeNameNormalizer.Normalize(type.Name ?? $"<unknown type, method table 0x{methodTable:x}>");
        ulong loaderAllocator = 0;
        if (type.IsCollectible && type.LoaderAllocatorHandle != 0)
            _memory.ReadPointer(type.LoaderAllocatorHandle, out loaderAllocator);
        return new MethodTableInfo(type, name, isFree, isString, layout, loaderAllocator);
    }
}
