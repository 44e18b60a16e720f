using System.Buffers.Binary;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Walks every object of the GC heap by reading each segment in large blocks and decoding the objects itself,
/// instead of asking ClrMD one object at a time. It follows the same rules as ClrMD's <c>EnumerateObjects</c>
/// (size from the method table plus the length word, 8-byte alignment, a three-pointer minimum, allocation
/// contexts skipped), so on a sound heap both see the same objects.
/// </summary>
/// <remarks>
/// ClrMD's per-object API costs about 0.5 µs an object (1.7–2M objects/s measured on 3–5M-object dumps); here the cost is one copy of the heap's
/// memory per walk plus a dictionary hit per object. Free-space fillers are stepped over and never visited.
/// Every object is validated (a method table the runtime knows, a size that stays inside its segment, readable
/// memory). Where one fails, the walk does not stop the segment, as ClrMD does, but looks for the next valid object
/// (a known method table whose object fits, followed by another such object or the segment's end) and goes on from
/// there; what it had to skip is counted in <see cref="Damage"/>. The rules are deterministic, so every walk of one
/// dump sees the same objects.
/// </remarks>
internal sealed class HeapWalker
{
    private const int BlockSize = 1 << 20;
    private const ulong MinObjectSize = 24;
    private const ulong PageSize = 4096;
    /// <summary>The runtime's default large-object threshold in bytes: smaller objects are allocated in small-object segments.</summary>
    private const ulong LargeObjectThreshold = 85_000;

    private readonly IMemoryReader _memory;
    private readonly MethodTableCache _types;
    private readonly SegmentSpan[] _segments;
    private readonly (ulong Start, ulong End)[] _contexts;
    private readonly byte[] _block = new byte[BlockSize];
    private byte[] _large = [];
    private ulong _blockStart;
    private int _blockLength;

    public HeapWalker(ClrHeap heap, IMemoryReader memory, MethodTableCache types)
    {
        _memory = memory;
        _types = types;
        _segments = [.. heap.Segments
            .Where(s => s.ObjectRange.Length > 0)
            .OrderBy(s => s.ObjectRange.Start)
            .Select(s => new SegmentSpan(s))];
        _contexts = [.. heap.EnumerateAllocationContexts()
            .Where(r => r.Start != 0 && r.End > r.Start)
            .Select(r => (r.Start, r.End))
            .Distinct()
            .OrderBy(r => r.Start)];
        TotalBytes = _segments.Sum(s => (long)(s.End - s.Start));
    }

    /// <summary>Segments with objects, in ascending address order.</summary>
    public IReadOnlyList<SegmentSpan> Segments => _segments;
    public long TotalBytes { get; }
    /// <summary>What the last walk could not read.</summary>
    public HeapDamage Damage => new(_badObjects, _bytesSkipped, _segmentsCutShort, TotalBytes, 0);

    // Where each walk resumed after a bad object, decided by the first walk: the method tables known grow as a walk
    // goes on, so a later walk would otherwise resume elsewhere and see other objects than the first (a graph is
    // built from three walks that must agree object for object).
    private readonly Dictionary<ulong, ulong> _resumeAt = [];
    private int _badObjects;
    private long _bytesSkipped;
    private int _segmentsCutShort;

    public void Walk<TVisitor>(ref TVisitor visitor, IProgress<LoadProgress>? progress, string phase, CancellationToken cancel)
        where TVisitor : struct, IObjectVisitor
    {
        _badObjects = 0;
        _bytesSkipped = 0;
        _segmentsCutShort = 0;
        long done = 0;
        progress?.Report(new LoadProgress(phase, 0, TotalBytes));
        foreach (SegmentSpan segment in _segments)
        {
            cancel.ThrowIfCancellationRequested();
            if (!WalkSegment(segment, ref visitor))
                _segmentsCutShort++;
            done += (long)(segment.End - segment.Start);
            progress?.Report(new LoadProgress(phase, done, TotalBytes));
        }
    }

    /// <summary>Walks one segment; false when damage cut it short (nothing valid after a bad object).</summary>
    private bool WalkSegment<TVisitor>(SegmentSpan segment, ref TVisitor visitor) where TVisitor : struct, IObjectVisitor
    {
        _blockLength = 0;
        int nextContext = segment.SkipsAllocationContexts ? FirstContextAtOrAfter(segment.Start) : _contexts.Length;
        ulong obj = segment.Start;
        while (obj < segment.End)
        {
            ulong size = ValidSize(obj, segment.End, out MethodTableInfo? type);
            if (type is { ComponentSize: not 0 } && HidesObjects(obj, (size + 7) & ~7UL, type, segment, nextContext))
                type = null; // a damaged length word: trusting it would silently jump over the objects behind it
            bool wantsBody = type is { IsFree: false } && visitor.WantsBody(type);
            ReadOnlySpan<byte> bytes = wantsBody ? Fetch(obj, (int)size, segment.End) : default;
            if (type is null || (wantsBody && bytes.IsEmpty))
            {
                // A bad object (or one whose body is unreadable): skip to the next one that reads as valid, and
                // count what was skipped.
                _badObjects++;
                ulong next = NextValidObject(obj + 8, segment.End);
                _bytesSkipped += (long)(next - obj);
                if (next >= segment.End)
                    return false;
                obj = next;
                continue;
            }
            if (!type.IsFree)
                visitor.Visit(obj, type, size, segment.GenerationOf(obj), bytes);

            obj += (size + 7) & ~7UL;
            while (nextContext < _contexts.Length && _contexts[nextContext].Start < obj)
                nextContext++;
            while (nextContext < _contexts.Length && _contexts[nextContext].Start == obj)
            {
                // An allocation context is memory a thread was allocating into: no objects until its end,
                // followed by room the GC keeps for a minimal filler object.
                ulong next = _contexts[nextContext].End + MinObjectSize;
                if (next <= obj || next >= segment.End)
                    return true;
                obj = next;
                nextContext++;
            }
        }
        return true;
    }

    /// <summary>
    /// The size of the object at <paramref name="obj"/> if it is valid: readable header, a method table the runtime
    /// knows (asking the DAC for new ones only when <paramref name="known"/> is false), a body inside the segment.
    /// </summary>
    private ulong ValidSize(ulong obj, ulong end, out MethodTableInfo? type, bool known = false)
    {
        type = null;
        ReadOnlySpan<byte> header = Fetch(obj, 16, end);
        if (header.IsEmpty)
            return 0;
        ulong methodTable = BinaryPrimitives.ReadUInt64LittleEndian(header);
        MethodTableInfo? info = known ? _types.Known(methodTable) : _types.Get(methodTable);
        if (info is null)
            return 0;
        uint components = info.ComponentSize != 0 ? BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) : 0;
        ulong size = info.SizeOf(components);
        if (size > end - obj || (!info.IsFree && size > int.MaxValue))
            return 0;
        type = info;
        return size;
    }

    /// <summary>
    /// The first address from <paramref name="from"/> on that starts a valid object (by method tables seen valid
    /// before) whose successor is valid too or ends the segment; the segment's end when there is none. Two in a row
    /// make a stray word that happens to equal a method table an unlikely resting place.
    /// </summary>
    private ulong NextValidObject(ulong from, ulong end)
    {
        if (_resumeAt.TryGetValue(from, out ulong decided))
            return decided;
        ulong next = FindNextValidObject(from, end);
        _resumeAt[from] = next;
        return next;
    }

    private ulong FindNextValidObject(ulong from, ulong end)
    {
        for (ulong candidate = (from + 7) & ~7UL; candidate + MinObjectSize <= end; candidate += 8)
        {
            if (Fetch(candidate, 16, end).IsEmpty)
            {
                // Memory the dump does not hold: try again at the next page, not at every word of this one.
                candidate = ((candidate + PageSize) & ~(PageSize - 1)) - 8;
                continue;
            }
            ulong size = ValidSize(candidate, end, out MethodTableInfo? type, known: true);
            if (type is null)
                continue;
            ulong after = candidate + ((size + 7) & ~7UL);
            if (after >= end)
                return candidate;
            ValidSize(after, end, out MethodTableInfo? next, known: true);
            if (next is not null)
                return candidate;
        }
        return end;
    }

    /// <summary>
    /// Whether the length word of the array or string at <paramref name="obj"/> looks damaged: the object looks wrong
    /// from outside (what follows its end is not what a sound heap has there: a valid object, the segment's end or an
    /// allocation context; or <see cref="LooksOversized"/>), and a valid object starts inside the body it claims. A
    /// flipped bit in a length word makes the object look larger and would otherwise hide every object it covers.
    /// Both conditions are needed: a sound heap can hold unused memory (zeros, an allocation context the runtime did
    /// not list) right after an array, and then the array is fine.
    /// </summary>
    private bool HidesObjects(ulong obj, ulong size, MethodTableInfo type, SegmentSpan segment, int nextContext)
    {
        if (IsFollowedByObject(obj + size, segment.End, nextContext) && !LooksOversized(obj, size, type, segment))
            return false;
        return NextValidObject(obj + 8, segment.End) < obj + size;
    }

    /// <summary>
    /// A grown length word can land the object's end on another object's start (likely where a program allocates the
    /// same objects over and over), so the end alone cannot tell. Two facts of a sound heap can: a string ends with a
    /// zero char, and an object of 85,000 bytes or more lives in the large (or pinned) object heap, not in a
    /// small-object segment (unless the program raised GCLOHThreshold; then only objects inside its body condemn it).
    /// </summary>
    private bool LooksOversized(ulong obj, ulong size, MethodTableInfo type, SegmentSpan segment)
    {
        if (type.IsFree)
            return false; // free space of any size, and stale objects inside it, are normal
        if (size >= LargeObjectThreshold && segment.Kind is not (GCSegmentKind.Large or GCSegmentKind.Pinned or GCSegmentKind.Frozen))
            return true;
        if (!type.IsString)
            return false;
        ReadOnlySpan<byte> length = Fetch(obj + 8, 4, segment.End);
        if (length.IsEmpty)
            return true;
        ulong terminator = obj + 12 + 2 * (ulong)BinaryPrimitives.ReadUInt32LittleEndian(length);
        ReadOnlySpan<byte> zero = Fetch(terminator, 2, segment.End);
        return zero.IsEmpty || BinaryPrimitives.ReadUInt16LittleEndian(zero) != 0;
    }

    private bool IsFollowedByObject(ulong after, ulong end, int nextContext)
    {
        if (after >= end)
            return after == end;
        for (int c = nextContext; c < _contexts.Length && _contexts[c].Start <= after; c++)
            if (_contexts[c].Start == after)
                return true;
        ValidSize(after, end, out MethodTableInfo? next);
        return next is not null;
    }

    private int FirstContextAtOrAfter(ulong address)
    {
        int lo = 0, hi = _contexts.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_contexts[mid].Start < address)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// <paramref name="length"/> bytes at <paramref name="address"/> from the current block, reading the next block
    /// (starting at this object) when they are not all in it; empty when the memory is missing from the dump or
    /// would run past <paramref name="limit"/>.
    /// </summary>
    private ReadOnlySpan<byte> Fetch(ulong address, int length, ulong limit)
    {
        if (address + (ulong)length > limit)
            return default;
        if (address >= _blockStart && address + (ulong)length <= _blockStart + (ulong)_blockLength)
            return new ReadOnlySpan<byte>(_block, (int)(address - _blockStart), length);

        if (length <= BlockSize)
        {
            int want = (int)Math.Min((ulong)BlockSize, limit - address);
            _blockStart = address;
            _blockLength = Math.Max(_memory.Read(address, _block.AsSpan(0, want)), 0);
            return _blockLength >= length ? new ReadOnlySpan<byte>(_block, 0, length) : default;
        }

        // A big array of references: read it whole into its own buffer, leaving the block as it is.
        if (_large.Length < length)
            _large = new byte[length];
        int read = _memory.Read(address, _large.AsSpan(0, length));
        return read == length ? new ReadOnlySpan<byte>(_large, 0, length) : default;
    }
}
