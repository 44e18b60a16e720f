namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// One type in the finalizer queue: <paramref name="Registered"/> objects with a finalizer the GC still tracks (alive,
/// or not yet found dead), <paramref name="Ready"/> found dead and waiting in the f-reachable queue for the finalizer
/// thread, with their shallow bytes.
/// </summary>
public sealed record FinalizerQueueRow(string Type, long Registered, long Ready, long ReadyBytes);
