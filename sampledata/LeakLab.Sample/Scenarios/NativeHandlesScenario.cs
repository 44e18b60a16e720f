using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakLab.Sample;

/// <summary>
/// S08: native memory and GC handles owned by the managed side and never freed. Each opened
/// <see cref="SensorChannel"/> allocates a native sample buffer (<see cref="Marshal.AllocHGlobal(int)"/>, written so
/// the pages are really committed), pins a managed frame buffer for the "driver" with a pinned
/// <see cref="GCHandle"/>, and passes itself to the driver as a cookie through a normal (strong) GCHandle. The table
/// <see cref="NativeResourceTable"/> keeps only the raw <see cref="IntPtr"/>s, and the matching
/// <c>Close</c> (FreeHGlobal, GCHandle.Free) is never called. One Step = one leaked channel. Bounded: once
/// <see cref="MaxNativeBytes"/> of native memory is held, the scenario stops growing.
/// <c>--fixed</c>: the channel is closed after use (FreeHGlobal, both handles freed) and leaves the table.
/// </summary>
/// <remarks>
/// Evidence: process memory (RSS) grows by about the payload per item while the managed heap grows little; pinned
/// handle roots (<c>pinned handle 0x…</c> → <c>Byte[]</c>) and strong handle roots (<c>strong handle 0x…</c> →
/// <c>SensorChannel</c>) grow in number. The GC heap has no reference from the table to the channels: only the
/// handles keep them.
/// </remarks>
public sealed class NativeHandlesScenario : IScenario
{
    public const long MaxNativeBytes = 256L * 1024 * 1024;
    private const int FrameBytes = 256;
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _channelId;

    public string Name => "native-handles";
    public string Description => "S08: AllocHGlobal buffers + pinned/strong GCHandles per SensorChannel, never freed (native memory capped at 256 MB)";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = Math.Max(options.PayloadBytes, 1);
        _fixed = options.Fixed;
        // One step before READY, so the leaking handles exist in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        if (NativeResourceTable.NativeBytes + _payloadBytes > MaxNativeBytes)
            return;
        NativeEntry entry = SensorChannel.Open(++_channelId, _payloadBytes, FrameBytes);
        if (_fixed)
            SensorChannel.Close(entry);
    }
}

/// <summary>A channel to a (simulated) native sensor driver; only GC handles keep it alive.</summary>
public sealed class SensorChannel
{
    private readonly byte[] _frameBuffer;

    private SensorChannel(long id, int frameBytes)
    {
        Id = id;
        _frameBuffer = new byte[frameBytes];
    }

    public long Id { get; }

    // Not inlined, so the caller's frame never holds the channel: only the GC handles do.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static NativeEntry Open(long id, int nativeBytes, int frameBytes)
    {
        var channel = new SensorChannel(id, frameBytes);
        IntPtr samples = Marshal.AllocHGlobal(nativeBytes);
        // Touch every page so the memory is committed and shows in the process's RSS.
        for (int offset = 0; offset < nativeBytes; offset += 4096)
            Marshal.WriteByte(samples, offset, 1);
        GCHandle pinnedFrame = GCHandle.Alloc(channel._frameBuffer, GCHandleType.Pinned);
        GCHandle cookie = GCHandle.Alloc(channel, GCHandleType.Normal);
        // The driver gets the raw pointers; the managed side keeps only numbers. Close (FreeHGlobal, Free) is never called.
        var entry = new NativeEntry(id, samples, nativeBytes, GCHandle.ToIntPtr(pinnedFrame), GCHandle.ToIntPtr(cookie));
        NativeResourceTable.Add(entry);
        return entry;
    }

    /// <summary>The fix: free the native buffer and both handles, and forget the entry.</summary>
    public static void Close(NativeEntry entry)
    {
        Marshal.FreeHGlobal(entry.Samples);
        GCHandle.FromIntPtr(entry.PinnedFrameHandle).Free();
        GCHandle.FromIntPtr(entry.CookieHandle).Free();
        NativeResourceTable.Remove(entry);
    }
}

/// <summary>Raw native resources per channel: plain numbers, invisible to the GC.</summary>
public readonly record struct NativeEntry(long ChannelId, IntPtr Samples, int SampleBytes, IntPtr PinnedFrameHandle, IntPtr CookieHandle);

public static class NativeResourceTable
{
    private static readonly List<NativeEntry> s_entries = [];
    public static long NativeBytes { get; private set; }

    public static void Add(NativeEntry entry)
    {
        s_entries.Add(entry);
        NativeBytes += entry.SampleBytes;
    }

    public static void Remove(NativeEntry entry)
    {
        // The entry just added is the last one: removing it from the end costs nothing.
        int at = s_entries.LastIndexOf(entry);
        if (at >= 0)
        {
            s_entries.RemoveAt(at);
            NativeBytes -= entry.SampleBytes;
        }
    }
}
