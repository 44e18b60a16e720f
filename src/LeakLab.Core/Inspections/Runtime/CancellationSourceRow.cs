namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// A <c>CancellationTokenSource</c> with callbacks registered on it: how many (<c>CallbackNode</c>s in its
/// registrations), whether it was cancelled or disposed, and the most common callback target types.
/// </summary>
public sealed record CancellationSourceRow(ulong Address, string Type, int Registrations, bool Canceled, bool Disposed, IReadOnlyList<string> CallbackTargets);
