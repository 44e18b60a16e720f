using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace LeakLab.Interactive;

/// <summary>
/// An <see cref="ILiveView"/> on one kernel command: the first progress is displayed, later ones replace it in place
/// (<see cref="DisplayedValue.Update"/>, the front end's update_display_data), and <see cref="Finish"/> puts the final
/// result in the same place.
/// </summary>
internal sealed class KernelLiveView(KernelInvocationContext context, KernelState state) : ILiveView
{
    private readonly object _gate = new();
    private DisplayedValue? _shown;
    private bool _carriesPlotly;

    /// <summary>Whether anything was shown (so the final result goes in its place).</summary>
    public bool Shown { get { lock (_gate) return _shown is not null; } }

    public void Show(LeakLabResult progress)
    {
        lock (_gate)
        {
            if (_shown is null)
            {
                lock (state)
                    _carriesPlotly = !state.PlotlySent;
                _shown = context.Display(progress, "text/html", "text/plain");
            }
            else
            {
                _shown.Update(progress);
            }
        }
    }

    /// <summary>Replaces the live output with <paramref name="result"/>.</summary>
    public void Finish(object result)
    {
        lock (_gate)
        {
            if (_shown is null)
                return;
            // The first live frame carried plotly.js and the update replaces it: the final output must carry it again,
            // or a saved notebook would have no output with the library.
            if (_carriesPlotly)
                lock (state)
                    state.PlotlySent = false;
            _shown.Update(result);
        }
    }
}
