namespace LeakLab.Core.Analysis;

/// <summary>How often the analyses look at their cancellation token: once per <see cref="Interval"/> objects.</summary>
/// <remarks>
/// A look per object would cost a measurable share of a dominator pass; once per 65,536 objects it costs nothing
/// measurable and still answers Ctrl+C within milliseconds on a 50M-object heap.
/// </remarks>
internal static class CancelCheck
{
    public const int Interval = 1 << 16;
    public const int Mask = Interval - 1;
}
