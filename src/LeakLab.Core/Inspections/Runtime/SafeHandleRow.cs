namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// SafeHandles of one type: how many are still open (neither closed nor disposed) and how many are closed; the open
/// ones' addresses let an inspection find who holds them in the heap graph.
/// </summary>
public sealed record SafeHandleRow(string Type, long Open, long Closed, IReadOnlyList<ulong> OpenAddresses);
