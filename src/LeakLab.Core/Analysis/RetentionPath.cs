namespace LeakLab.Core.Analysis;

/// <summary>
/// A distinct shape of shortest retention path from a named root, with how many target objects share it.
/// </summary>
public sealed record RetentionPath(RootKind RootKind, string RootName, IReadOnlyList<PathStep> Steps, int Count, ulong ExampleAddress)
{
    /// <summary>
    /// A further shape: a short-lived root (a stack frame) also reaches these objects, which a lasting root owns and
    /// which are counted under that root's shapes. Not part of the attributed counts.
    /// </summary>
    public bool IsFurther { get; init; }

    /// <summary>The steps on one line, root not included: "Dictionary&lt;Int64, CachedOrder&gt; → ._entries Entry[] → [] CachedOrder"
    /// (a collapsed run reads "TimerQueueTimer ×1,480").</summary>
    public string Shape => PathText.Steps(Steps);
}
