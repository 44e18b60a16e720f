namespace LeakLab.Notebooks.Session;

/// <summary>
/// Where a long-running command shows its progress while it runs: a host that can replace an output in place (a
/// notebook kernel's displayed value) sets <see cref="LeakLabSession.LiveView"/>; without one, only the final result shows.
/// </summary>
public interface ILiveView
{
    /// <summary>Shows <paramref name="progress"/>, replacing what this view showed before. Called on the command's worker thread, about once a second.</summary>
    void Show(LeakLabResult progress);
}
