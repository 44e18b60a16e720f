using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Runtime;

/// <summary>
/// Live managed threads with their state, the wait they are blocked in, the first frame of the program's own code,
/// their top frames and what their stack roots hold.
/// </summary>
internal static class ThreadTableReader
{
    private const int MaxFrames = 24;

    // Types whose Wait/Sleep/Join/Enter/Take frames mean the thread is blocked, not running.
    private static readonly string[] s_waitTypes =
    [
        "System.Threading.Monitor", "System.Threading.WaitHandle", "System.Threading.ManualResetEventSlim",
        "System.Threading.SemaphoreSlim", "System.Threading.CountdownEvent", "System.Threading.Thread",
        "System.Threading.LowLevelLifoSemaphore", "System.Threading.LowLevelMonitor", "System.Threading.Barrier",
        "System.Threading.ReaderWriterLockSlim", "System.Threading.Tasks.Task", "System.Threading.SpinWait",
        "System.Threading.Lock",
    ];

    private static readonly string[] s_waitVerbs = ["Wait", "Sleep", "Join", "Enter", "ReliableEnter", "TryEnter", "TryTake", "Take", "SpinUntil", "SpinThenBlockingWait", "InternalWait"];

    public static IReadOnlyList<ThreadRow> Read(ClrRuntime runtime, IReadOnlyDictionary<int, string> names, CancellationToken cancel)
    {
        var rows = new List<ThreadRow>();
        foreach (ClrThread thread in runtime.Threads)
        {
            cancel.ThrowIfCancellationRequested();
            if (!thread.IsAlive)
                continue;
            var frames = new List<string>();
            try
            {
                foreach (ClrStackFrame frame in thread.EnumerateStackTrace(includeContext: false, MaxFrames))
                {
                    if (frame.Method is { } m)
                        frames.Add($"{TypeNameNormalizer.Normalize(m.Type?.Name ?? "?")}.{m.Name}");
                    else if (!string.IsNullOrEmpty(frame.FrameName))
                        frames.Add($"[{frame.FrameName}]");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                frames.Add("[stack could not be read]");
            }

            var rooted = new HashSet<ulong>();
            var types = new Dictionary<string, int>(StringComparer.Ordinal);
            try
            {
                foreach (ClrStackRoot root in thread.EnumerateStackRoots())
                {
                    ClrObject obj = root.Object;
                    if (obj.IsNull || !rooted.Add(obj.Address) || ClrValues.TypeName(obj) is not { } type)
                        continue;
                    types[type] = types.GetValueOrDefault(type) + 1;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A stack that cannot be walked still gets its row, with what was read.
            }

            string? wait = frames.FirstOrDefault(IsWait);
            string? user = frames.FirstOrDefault(f => !IsFrameworkFrame(f));
            rows.Add(new ThreadRow(thread.ManagedThreadId, thread.OSThreadId, names.GetValueOrDefault(thread.ManagedThreadId),
                StateOf(thread, wait), thread.IsFinalizer, wait, user, frames, rooted.Count,
                [.. types.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(5).Select(t => $"{t.Key} ×{t.Value}")]));
        }
        return rows;
    }

    private static string StateOf(ClrThread thread, string? wait)
    {
        var parts = new List<string> { wait is null ? "running or idle" : "blocked" };
        if ((thread.State & ClrThreadState.TS_Background) != 0)
            parts.Add("background");
        if ((thread.State & ClrThreadState.TS_TPWorkerThread) != 0)
            parts.Add("thread pool");
        if (thread.IsFinalizer)
            parts.Add("finalizer");
        return string.Join(", ", parts);
    }

    private static bool IsWait(string frame)
    {
        int dot = frame.LastIndexOf('.');
        if (dot <= 0)
            return false;
        string type = frame[..dot], method = frame[(dot + 1)..];
        bool waitType = s_waitTypes.Contains(type) || type.StartsWith("System.Collections.Concurrent.BlockingCollection<", StringComparison.Ordinal);
        return waitType && s_waitVerbs.Any(v => method.StartsWith(v, StringComparison.Ordinal));
    }

    /// <summary>Frames of the runtime and libraries, and frames without a method (native transitions).</summary>
    internal static bool IsFrameworkFrame(string frame) =>
        frame.StartsWith('[') || frame.StartsWith("System.", StringComparison.Ordinal) || frame.StartsWith("Microsoft.", StringComparison.Ordinal)
        || frame.StartsWith("Internal.", StringComparison.Ordinal) || frame.StartsWith("Interop.", StringComparison.Ordinal);
}
