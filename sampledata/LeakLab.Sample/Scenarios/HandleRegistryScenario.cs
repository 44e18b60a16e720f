namespace LeakLab.Sample;

/// <summary>
/// S09: a handle passed across a language boundary with no release hook. Script callbacks are handed to a
/// (simulated) script engine as numeric ids from <see cref="InteropHandleRegistry"/>, a static
/// <c>Dictionary&lt;long, object&gt;</c>; the engine is supposed to call <see cref="InteropHandleRegistry.Release"/>
/// when its side is collected, but it never does. Each <see cref="ScriptCallback"/> also points back at its id and the
/// registry (the cross-layer cycle), and holds the script's captured state. One Step = one leaked registration.
/// <c>--fixed</c>: the engine runs the callback and then calls <see cref="InteropHandleRegistry.Release"/>.
/// </summary>
/// <remarks>
/// Evidence: static field <c>LeakLab.Sample.InteropHandleRegistry.s_handles</c> →
/// <c>Dictionary&lt;Int64, Object&gt;</c> <c>._entries</c> → <c>Entry[]</c> → <c>ScriptCallback</c> → <c>Byte[]</c>;
/// the count of entries grows and their <c>RegisteredUtc</c> ages spread back to the start of the process.
/// </remarks>
public sealed class HandleRegistryScenario : IScenario
{
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _scriptId;

    public string Name => "handle-registry";
    public string Description => "S09: InteropHandleRegistry.s_handles (static Dictionary<long, object>) keeps callbacks the script side never releases";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        var callback = new ScriptCallback(++_scriptId, new byte[_payloadBytes]);
        long handle = InteropHandleRegistry.Register(callback);
        ScriptEngine.SetTimeoutCallback(handle);
        if (_fixed)
            ScriptEngine.RunAndRelease(handle);
    }
}

/// <summary>Numeric ids for managed objects handed to the script engine. Release is the hook the engine never calls.</summary>
public static class InteropHandleRegistry
{
    private static readonly Dictionary<long, object> s_handles = new();
    private static long s_nextHandle;

    public static long Register(object target)
    {
        long handle = ++s_nextHandle;
        s_handles.Add(handle, target);
        if (target is ScriptCallback callback)
            callback.Handle = handle;
        return handle;
    }

    public static bool Release(long handle) => s_handles.Remove(handle);
}

/// <summary>The other side of the boundary: it only keeps the number, and has no finalization hook into .NET.</summary>
public static class ScriptEngine
{
    public static long LastHandle;
    public static void SetTimeoutCallback(long handle) => LastHandle = handle;

    /// <summary>The fix: the engine's side is done with the callback, so it calls the release hook.</summary>
    public static void RunAndRelease(long handle) => InteropHandleRegistry.Release(handle);
}

public sealed class ScriptCallback(long scriptId, byte[] capturedState)
{
    public long ScriptId { get; } = scriptId;
    public long Handle { get; set; }
    public DateTime RegisteredUtc { get; } = DateTime.UtcNow;
    /// <summary>The script's closure state, marshalled once and kept for the callback.</summary>
    public byte[] CapturedState { get; } = capturedState;
}
