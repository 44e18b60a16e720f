using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakLab.Core.Graph;

/// <summary>
/// One flat array of the heap graph or of an analysis: a managed array (built in this process) or a section of a
/// memory-mapped graph index (reopened: no copy, only the pages a command touches are read from disk).
/// </summary>
/// <remarks>
/// A mapped column checks each 64 KiB block of its section against the block's checksum before the first read of it
/// (<see cref="MappedSection"/>): one value or a slice checks the blocks it covers, <see cref="Span"/> checks all. So
/// damaged data is never used, and a command that reads a few objects reads (and keeps resident) a few pages. Indexing
/// is bounds-checked either way.
/// </remarks>
internal sealed unsafe class Column<T> where T : unmanaged
{
    private readonly T[]? _array;
    private readonly T* _pointer;
    private readonly MappedSection? _section;  // null for managed arrays and small (checked on open) sections
    private readonly ulong[]? _checked;        // one bit per block of _section
    private readonly int _blockShift;          // elements per block = 1 << _blockShift
    private volatile bool _allChecked;

    public Column(T[] array)
    {
        _array = array;
        Length = array.Length;
        _allChecked = true;
    }

    /// <param name="pointer">The first element; the mapping lives as long as the process (see <see cref="MappedIndex"/>).</param>
    /// <param name="section">Checked block by block as read; null when already checked.</param>
    public Column(T* pointer, int length, MappedSection? section)
    {
        _pointer = pointer;
        Length = length;
        _section = section;
        _allChecked = section is null;
        if (section is not null)
            _checked = new ulong[(section.Blocks + 63) / 64];
        _blockShift = BitOperations.Log2((uint)(MappedIndex.BlockBytes / sizeof(T)));
    }

    public static implicit operator Column<T>(T[] array) => new(array);

    public int Length { get; }

    /// <summary>All values; the first call on a big mapped column checks every block.</summary>
    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.TruncatedOrCorrupt"/>: the section is damaged (the index is removed).</exception>
    public ReadOnlySpan<T> Span
    {
        get
        {
            if (_array is not null)
                return _array;
            if (!_allChecked)
                CheckAll();
            return new ReadOnlySpan<T>(_pointer, Length);
        }
    }

    /// <summary>One value, bounds-checked; its block is checked on first read.</summary>
    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length)
                ThrowOutOfRange();
            if (_array is not null)
                return _array[index];
            if (!_allChecked)
                Check(index >> _blockShift);
            return _pointer[index];
        }
    }

    /// <summary>Values [start, start + length), checking only the blocks they cover.</summary>
    public ReadOnlySpan<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
            ThrowOutOfRange();
        if (_array is not null)
            return new ReadOnlySpan<T>(_array, start, length);
        if (!_allChecked && length > 0)
        {
            for (int b = start >> _blockShift, last = (start + length - 1) >> _blockShift; b <= last; b++)
                Check(b);
        }
        return new ReadOnlySpan<T>(_pointer + start, length);
    }

    private void Check(int block)
    {
        ref ulong word = ref _checked![block >> 6];
        ulong bit = 1UL << block;
        if ((Volatile.Read(ref word) & bit) != 0)
            return;
        _section!.Verify(block);
        Interlocked.Or(ref word, bit);
    }

    private void CheckAll()
    {
        for (int b = 0; b < _section!.Blocks; b++)
            Check(b);
        _allChecked = true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange() => throw new IndexOutOfRangeException();
}
