using System.Numerics;
using System.Runtime.CompilerServices;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Address → node id in O(1) without storing addresses: one bit per 8-byte slot of every segment marks where an
/// object starts, and a running count per 64-bit word turns a set bit into the node's rank. Node ids are assigned
/// in address order, so the rank of an object's start bit is its node id.
/// </summary>
/// <remarks>
/// Costs 12 bytes per 512 bytes of heap (about 2.3% of the heap; 4 MB for a 165 MB heap), against 8 bytes per
/// object for an address array plus a binary search per reference. Segments are found by binary search over their
/// starts, with the last hit checked first because references tend to stay near their source.
/// </remarks>
internal sealed class ObjectIndex
{
    private readonly ulong[] _starts;
    private readonly ulong[] _ends;
    private readonly int[] _wordBase;  // first word of each segment in _bits
    private readonly ulong[] _bits;
    private int[]? _rank;              // objects before each word, across all segments
    private int _lastSegment;

    /// <param name="segments">Address ranges [Start, End) holding objects, ascending and disjoint.</param>
    public ObjectIndex(IReadOnlyList<(ulong Start, ulong End)> segments)
    {
        _starts = new ulong[segments.Count];
        _ends = new ulong[segments.Count];
        _wordBase = new int[segments.Count + 1];
        long words = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            (ulong start, ulong end) = segments[i];
            if (end < start || (i > 0 && start < _ends[i - 1]))
                throw new ArgumentException($"Segment [0x{start:x}, 0x{end:x}) is out of order or overlaps its predecessor.", nameof(segments));
            _starts[i] = start;
            _ends[i] = end;
            _wordBase[i] = checked((int)words);
            words += (long)((end - start) / 8 / 64) + 1;
        }
        _wordBase[segments.Count] = checked((int)words);
        _bits = new ulong[words];
    }

    public int Count { get; private set; }

    /// <summary>Marks an object start. Call in ascending address order, then <see cref="Freeze"/>.</summary>
    public void Mark(ulong address)
    {
        int segment = SegmentOf(address);
        if (segment < 0 || (address & 7) != 0)
            throw new InvalidOperationException($"Object 0x{address:x} is not on a walked segment.");
        ulong slot = (address - _starts[segment]) >> 3;
        _bits[_wordBase[segment] + (int)(slot >> 6)] |= 1UL << (int)(slot & 63);
        Count++;
    }

    /// <summary>Computes the ranks; after this, <see cref="Find"/> answers.</summary>
    public void Freeze()
    {
        var rank = new int[_bits.Length];
        int total = 0;
        for (int w = 0; w < _bits.Length; w++)
        {
            rank[w] = total;
            total += BitOperations.PopCount(_bits[w]);
        }
        _rank = rank;
    }

    /// <summary>The node id of the object starting exactly at <paramref name="address"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong address)
    {
        int segment = SegmentOf(address);
        if (segment < 0 || (address & 7) != 0)
            return -1;
        ulong slot = (address - _starts[segment]) >> 3;
        int word = _wordBase[segment] + (int)(slot >> 6);
        ulong bits = _bits[word];
        int bit = (int)(slot & 63);
        if ((bits & (1UL << bit)) == 0)
            return -1;
        return _rank![word] + BitOperations.PopCount(bits & ((1UL << bit) - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SegmentOf(ulong address)
    {
        int last = _lastSegment;
        if (_starts.Length == 0)
            return -1;
        if (address >= _starts[last] && address < _ends[last])
            return last;
        int lo = 0, hi = _starts.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (address < _starts[mid])
                hi = mid - 1;
            else if (address >= _ends[mid])
                lo = mid + 1;
            else
                return _lastSegment = mid;
        }
        return -1;
    }
}
