using System.Globalization;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// A dump that is taking long, as the notebook shows it in place: "dumping process 123: 12 s (gives up after 160 s)".
/// The loaded snapshot replaces it.
/// </summary>
public sealed class DumpProgress : LeakLabResult
{
    /// <summary>Quick dumps (about a second) show nothing; past this the user sees that the cell is waiting, and on what.</summary>
    internal static readonly TimeSpan ShowAfter = TimeSpan.FromSeconds(3);

    internal DumpProgress(string status) => Status = status;

    /// <summary>"dumping process 123: 12 s (gives up after 160 s)".</summary>
    public string Status { get; }

    public override string ToHtml() => Render.MessageHtml(Status);

    public override string ToText() => Status + "\n";

    /// <summary>The progress callback for <see cref="DumpCapture.Write"/> that shows on <paramref name="view"/>; null without a view.</summary>
    internal static Action<TimeSpan>? Reporter(ILiveView? view, int pid, TimeSpan timeout) => view is null ? null : elapsed =>
    {
        if (elapsed >= ShowAfter)
            view.Show(new DumpProgress(string.Create(CultureInfo.InvariantCulture,
                $"dumping process {pid}: {elapsed.TotalSeconds:0} s (gives up after {timeout.TotalSeconds:0} s)")));
    };
}
