namespace LeakLab.Capture.Live;

/// <summary>
/// One value of one System.Runtime counter (EventCounters), e.g. <c>gc-heap-size</c> = 12.5 at 18:40:02.
/// </summary>
/// <param name="Time">When the target published the value (UTC).</param>
/// <param name="Name">The runtime's counter name: <c>gc-heap-size</c>, <c>gen-2-size</c>, <c>alloc-rate</c>, <c>time-in-gc</c>, ...</param>
/// <param name="Value">
/// For a mean counter the mean over the interval (sizes in the runtime's unit, <see cref="Unit"/>); for a sum counter
/// (<c>alloc-rate</c>, <c>exception-count</c>, <c>gen-0-gc-count</c>, ...) the increment during the interval.
/// </param>
/// <param name="Unit">The runtime's display unit ("MB", "B", "%", "" for counts).</param>
public readonly record struct RuntimeCounterSample(DateTimeOffset Time, string Name, double Value, string Unit);
