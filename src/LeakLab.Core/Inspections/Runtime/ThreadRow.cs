namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// One live managed thread: ids, name (from its <c>Thread</c> object), state, whether it is the finalizer thread, the
/// wait it is blocked in (the first waiting frame from the top: <c>System.Threading.Monitor.Wait</c>,
/// <c>ManualResetEventSlim.Wait</c>…; null when running or idle in native code), the first frame outside the
/// framework, its top frames, and the objects its stack roots (count and most common types).
/// </summary>
public sealed record ThreadRow(int ManagedId, uint OsId, string? Name, string State, bool IsFinalizer, string? WaitMethod, string? UserMethod,
    IReadOnlyList<string> Frames, int RootedObjects, IReadOnlyList<string> RootedTypes);
