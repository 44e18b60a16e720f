namespace LeakLab.Runner;

/// <summary>How a headless notebook run ended.</summary>
public enum RunEnd
{
    /// <summary>Every code cell ran without an error.</summary>
    Completed,
    /// <summary>A cell failed (compile error, exception, failed magic command); later cells did not run.</summary>
    CellFailed,
    /// <summary>A cell ran longer than <see cref="RunOptions.CellTimeout"/> and was cancelled.</summary>
    CellTimedOut,
    /// <summary>The caller cancelled the run (Ctrl+C, SIGTERM).</summary>
    Cancelled,
}
