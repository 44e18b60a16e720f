namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// Tasks that have not completed, grouped by task type (an async state machine box names its state machine):
/// how many, their continuations in total, and the one with the most continuations (its address and count).
/// </summary>
public sealed record PendingTaskRow(string Type, long Count, long Continuations, int MaxContinuations, ulong MaxAddress);
