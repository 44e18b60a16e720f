using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>
/// Where the GC finds references inside objects of one type: the runtime's GCDesc, which sits in memory just below
/// the method table, decoded once per type so the walk over millions of objects is a tight loop over a span.
/// </summary>
/// <remarks>
/// Layout (64-bit), read backwards from the method table <c>mt</c>: <c>mt-8</c> holds the series count N.
/// N &gt; 0: N series of (size, offset) pairs below it; series i covers the slots from <c>offset</c> to
/// <c>offset + size + objectSize</c> (sizes are stored minus the object's size so one series also covers an array
/// of references of any length). N &lt; 0: an array of structs; <c>mt-16</c> is the first element's offset and -N
/// (pointer count, bytes to skip) pairs below it repeat over every element until the end of the object.
/// ClrMD's <c>GCDesc.WalkObject</c> does the same but needs a separate byte[] per object and yields tuples.
/// </remarks>
internal sealed class GcDescLayout
{
    // A type with more series than this is corrupt data, not a type.
    private const long MaxSeries = 1 << 16;

    private readonly long[] _offsets;   // N > 0: series start offsets, ascending (so edges come in field order)
    private readonly long[] _sizes;     // N > 0: series sizes minus the object size
    private readonly long _repeatStart; // N < 0: first element's offset
    private readonly uint[] _counts;    // N < 0: pointers per run
    private readonly uint[] _skips;     // N < 0: bytes skipped after each run

    private GcDescLayout(long[] offsets, long[] sizes, long repeatStart, uint[] counts, uint[] skips)
    {
        _offsets = offsets;
        _sizes = sizes;
        _repeatStart = repeatStart;
        _counts = counts;
        _skips = skips;
    }

    /// <summary>Reads the GCDesc of <paramref name="methodTable"/>, or returns null when it is unreadable or implausible.</summary>
    public static GcDescLayout? Read(IMemoryReader memory, ulong methodTable)
    {
        if (!memory.ReadPointer(methodTable - 8, out ulong raw))
            return null;
        long series = (long)raw;
        if (series > 0 && series <= MaxSeries)
        {
            var bytes = new byte[series * 16];
            if (memory.Read(methodTable - 8 - (ulong)bytes.Length, bytes) != bytes.Length)
                return null;
            var pairs = new (long Offset, long Size)[series];
            for (int i = 0; i < series; i++)
            {
                long size = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 16));
                long offset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 16 + 8));
                if (offset < 8)
                    return null; // slot 0 is the method table itself
                pairs[i] = (offset, size);
            }
            Array.Sort(pairs, (a, b) => a.Offset.CompareTo(b.Offset));
            return new GcDescLayout([.. pairs.Select(p => p.Offset)], [.. pairs.Select(p => p.Size)], 0, [], []);
        }
        if (series < 0 && series >= -MaxSeries)
        {
            int runs = (int)-series;
            var bytes = new byte[8 + runs * 8];
            // [run runs-1] ... [run 0] [first element offset] [N] mt
            if (memory.Read(methodTable - 8 - (ulong)bytes.Length, bytes) != bytes.Length)
                return null;
            long start = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(runs * 8));
            if (start < 8)
                return null;
            var counts = new uint[runs];
            var skips = new uint[runs];
            for (int i = 0; i < runs; i++)
            {
                int at = (runs - 1 - i) * 8;
                counts[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
                skips[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
                if (counts[i] == 0)
                    return null;
            }
            return new GcDescLayout([], [], start, counts, skips);
        }
        return null;
    }

    /// <summary>
    /// Calls <paramref name="sink"/> for every non-null reference slot of the object in <paramref name="body"/>
    /// (its bytes from the method-table pointer on) whose size is <paramref name="objectSize"/>.
    /// Slots that would fall outside <paramref name="body"/> are ignored, so corrupt sizes cannot read out of bounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Walk<TSink>(ReadOnlySpan<byte> body, long objectSize, ref TSink sink) where TSink : struct, ISlotSink
    {
        long limit = Math.Min(objectSize, body.Length) - 8; // last offset a whole slot fits at
        if (_counts.Length == 0)
        {
            for (int s = 0; s < _offsets.Length; s++)
            {
                long last = Math.Min(_offsets[s] + _sizes[s] + objectSize - 8, limit);
                for (long offset = _offsets[s]; offset <= last; offset += 8)
                {
                    ulong value = BinaryPrimitives.ReadUInt64LittleEndian(body[(int)offset..]);
                    if (value != 0)
                        sink.Slot((int)offset, value);
                }
            }
            return;
        }

        long at = _repeatStart;
        while (at < objectSize - 8)
        {
            for (int r = 0; r < _counts.Length; r++)
            {
                long stop = at + _counts[r] * 8L;
                if (stop - 8 > limit)
                    return;
                for (; at < stop; at += 8)
                {
                    ulong value = BinaryPrimitives.ReadUInt64LittleEndian(body[(int)at..]);
                    if (value != 0)
                        sink.Slot((int)at, value);
                }
                at += _skips[r];
            }
        }
    }
}
