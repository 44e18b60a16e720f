using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.IntegrationTests.Dumps;

/// <summary>
/// The two pieces of the bulk heap walk that decode raw memory, on hand-built bytes: GCDesc layouts (where an
/// object's references are) and the object-start bitmap (address → node id). No dump or process needed.
/// </summary>
public sealed class HeapDecodingTests
{
    private const ulong MethodTable = 0x10_000;

    [Fact]
    public void SeriesGiveTheReferenceFieldsOfAClass()
    {
        // A 40-byte class with references at offsets 8 and 24 and an int at 16: two series of one slot each
        // (series sizes are stored minus the object size).
        var memory = new FakeMemory();
        memory.WriteSeries(MethodTable, [(Offset: 24, Size: 8 - 40), (Offset: 8, Size: 8 - 40)]);
        GcDescLayout layout = GcDescLayout.Read(memory, MethodTable)!;

        byte[] obj = Object(40, (8, 0xAAA0), (16, 0x1234), (24, 0xBBB0));
        Assert.Equal([(8, 0xAAA0UL), (24, 0xBBB0UL)], Slots(layout, obj, 40)); // ascending offsets, the int skipped

        byte[] withNull = Object(40, (8, 0), (16, 0x1234), (24, 0xBBB0));
        Assert.Equal([(24, 0xBBB0UL)], Slots(layout, withNull, 40));
    }

    [Fact]
    public void OneSeriesCoversAnArrayOfReferencesOfAnyLength()
    {
        var memory = new FakeMemory();
        memory.WriteSeries(MethodTable, [(Offset: 16, Size: -24)]); // elements from offset 16 to the end
        GcDescLayout layout = GcDescLayout.Read(memory, MethodTable)!;

        byte[] three = Object(48, (8, 3), (16, 0x100), (24, 0x200), (32, 0x300));
        Assert.Equal([(16, 0x100UL), (24, 0x200UL), (32, 0x300UL)], Slots(layout, three, 48));
        byte[] empty = Object(24, (8, 0));
        Assert.Empty(Slots(layout, empty, 24));
    }

    [Fact]
    public void RepeatingRunsCoverEveryElementOfAStructArray()
    {
        // struct { object A; int X; object B; } (24 bytes): per element one pointer, skip 8, one pointer, skip 0.
        var memory = new FakeMemory();
        memory.WriteRepeating(MethodTable, firstElement: 16, [(Pointers: 1, Skip: 8), (Pointers: 1, Skip: 0)]);
        GcDescLayout layout = GcDescLayout.Read(memory, MethodTable)!;

        byte[] two = Object(72, (8, 2), (16, 0xA1), (24, 7), (32, 0xB1), (40, 0xA2), (48, 7), (56, 0xB2));
        Assert.Equal([(16, 0xA1UL), (32, 0xB1UL), (40, 0xA2UL), (56, 0xB2UL)], Slots(layout, two, 72));
    }

    [Fact]
    public void ImplausibleOrUnreadableLayoutsAreRejected()
    {
        var memory = new FakeMemory();
        Assert.Null(GcDescLayout.Read(memory, MethodTable)); // nothing readable below the method table
        memory.WritePointer(MethodTable - 8, 1UL << 40);
        Assert.Null(GcDescLayout.Read(memory, MethodTable)); // far too many series
        memory.WriteSeries(MethodTable, [(Offset: 0, Size: -16)]);
        Assert.Null(GcDescLayout.Read(memory, MethodTable)); // a series over the method-table slot
    }

    [Fact]
    public void ACorruptSizeNeverReadsPastTheObjectBytes()
    {
        var memory = new FakeMemory();
        memory.WriteSeries(MethodTable, [(Offset: 16, Size: -24)]);
        GcDescLayout layout = GcDescLayout.Read(memory, MethodTable)!;
        byte[] obj = Object(48, (8, 3), (16, 0x100), (24, 0x200), (32, 0x300));
        // The length word claims a million elements; only the slots inside the 48 bytes we have are visited.
        Assert.Equal(3, Slots(layout, obj, 24 + 8_000_000).Count);
    }

    [Fact]
    public void TheBitmapIndexNumbersObjectsInAddressOrder()
    {
        var index = new ObjectIndex([(0x1000, 0x2000), (0x10_000, 0x10_100)]);
        ulong[] objects = [0x1000, 0x1018, 0x1FE8, 0x10_000, 0x10_0F8];
        foreach (ulong address in objects)
            index.Mark(address);
        index.Freeze();

        Assert.Equal(objects.Length, index.Count);
        for (int i = 0; i < objects.Length; i++)
            Assert.Equal(i, index.Find(objects[i]));
        Assert.Equal(-1, index.Find(0x1008));    // inside a segment, no object starts there
        Assert.Equal(-1, index.Find(0x1019));    // not 8-byte aligned
        Assert.Equal(-1, index.Find(0x5000));    // between segments
        Assert.Equal(-1, index.Find(0x10_0F0));  // just before the last object
        Assert.Equal(-1, index.Find(0x20_000));  // past the end
        Assert.Equal(-1, index.Find(0));
        Assert.Throws<ArgumentException>(() => new ObjectIndex([(0x2000, 0x3000), (0x1000, 0x1800)]));
    }

    private static byte[] Object(int size, params (int Offset, ulong Value)[] words)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, MethodTable);
        foreach ((int offset, ulong value) in words)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
        return bytes;
    }

    private static List<(int Offset, ulong Value)> Slots(GcDescLayout layout, byte[] body, long size)
    {
        var sink = new RecordingSink { Seen = [] };
        layout.Walk(body, size, ref sink);
        return sink.Seen;
    }

    private struct RecordingSink : ISlotSink
    {
        public List<(int Offset, ulong Value)> Seen;
        public readonly void Slot(int offset, ulong value) => Seen.Add((offset, value));
    }

    /// <summary>Sparse little-endian memory: only written bytes are readable.</summary>
    private sealed class FakeMemory : IMemoryReader
    {
        private readonly Dictionary<ulong, byte> _bytes = [];

        public int PointerSize => 8;

        public void WritePointer(ulong address, ulong value)
        {
            for (int i = 0; i < 8; i++)
                _bytes[address + (ulong)i] = (byte)(value >> (8 * i));
        }

        /// <summary>N series (offset, size) below the count, as the runtime lays them out.</summary>
        public void WriteSeries(ulong methodTable, (long Offset, long Size)[] series)
        {
            WritePointer(methodTable - 8, (ulong)series.Length);
            ulong lowest = methodTable - 8 - (ulong)series.Length * 16;
            for (int i = 0; i < series.Length; i++)
            {
                WritePointer(lowest + (ulong)i * 16, (ulong)series[i].Size);
                WritePointer(lowest + (ulong)i * 16 + 8, (ulong)series[i].Offset);
            }
        }

        /// <summary>-N in the count, the first element's offset below it, then run 0, run 1, ... going down.</summary>
        public void WriteRepeating(ulong methodTable, long firstElement, (uint Pointers, uint Skip)[] runs)
        {
            WritePointer(methodTable - 8, unchecked((ulong)-runs.Length));
            WritePointer(methodTable - 16, (ulong)firstElement);
            for (int i = 0; i < runs.Length; i++)
                WritePointer(methodTable - 24 - (ulong)i * 8, runs[i].Pointers | ((ulong)runs[i].Skip << 32));
        }

        public int Read(ulong address, Span<byte> buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                if (!_bytes.TryGetValue(address + (ulong)i, out byte b))
                    return i;
                buffer[i] = b;
            }
            return buffer.Length;
        }

        public bool Read<T>(ulong address, out T value) where T : unmanaged
        {
            Span<byte> buffer = stackalloc byte[Unsafe.SizeOf<T>()];
            bool ok = Read(address, buffer) == buffer.Length;
            value = ok ? MemoryMarshal.Read<T>(buffer) : default;
            return ok;
        }

        public T Read<T>(ulong address) where T : unmanaged => Read(address, out T value) ? value : default;

        public bool ReadPointer(ulong address, out ulong value) => Read(address, out value);

        public ulong ReadPointer(ulong address) => Read<ulong>(address);
    }
}
