namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// Live timers (runtime <c>System.Threading.TimerQueueTimer</c>s in the timer queues) grouped by callback method, the
/// callback's target type and the state type. Due time and period are milliseconds (-1 = infinite); the due times
/// span <paramref name="MinDueMs"/>..<paramref name="MaxDueMs"/>; <paramref name="PeriodMs"/> is the most common period.
/// </summary>
public sealed record TimerRow(string Callback, string? TargetType, string? StateType, long Count, long MinDueMs, long MaxDueMs, long PeriodMs, ulong ExampleAddress);
