using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace LeakLab.Interactive;

/// <summary>
/// text/html and text/plain for every <see cref="LeakLabResult"/>, through the kernel's public Formatter API. A chart
/// carries plotly.js only as the first chart of its kernel session: notebook outputs share one page (VS Code's
/// webview, Jupyter, nbconvert's HTML export), so later charts wait for that copy instead of adding 4.8 MB each.
/// </summary>
internal static class ResultFormatters
{
    private static int s_registered;

    public static void Register()
    {
        // Formatters are process-wide in .NET Interactive; register once even when several kernels load LeakLab.
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
            return;
        Formatter.Register<LeakLabResult>((result, writer) => writer.Write(result.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<LeakLabResult>((result, writer) => writer.Write(result.ToText()), PlainTextFormatter.MimeType);
        Formatter.Register<ChartResult>((chart, writer) => writer.Write(WithPlotly(chart.ToHtml)), HtmlFormatter.MimeType);
        Formatter.Register<InspectResult>((inspect, writer) => writer.Write(inspect.Chart is null ? inspect.ToHtml() : WithPlotly(inspect.ToHtml)), HtmlFormatter.MimeType);
        Formatter.Register<WatchResult>((watch, writer) => writer.Write(WithPlotly(watch.ToHtml)), HtmlFormatter.MimeType);
        Formatter.Register<WatchProgress>((progress, writer) => writer.Write(WithPlotly(progress.ToHtml)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(LeakLabResult), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }

    /// <summary>HTML with a chart: plotly.js inline only in the kernel session's first chart.</summary>
    private static string WithPlotly(Func<PlotlyScriptMode, string> html)
    {
        // Outside a LeakLab kernel (no context, another root), the chart carries the library to be safe.
        KernelState? state = LeakLabKernelExtension.StateOf(KernelInvocationContext.Current?.HandlingKernel);
        if (state is null)
            return html(PlotlyScriptMode.Inline);
        lock (state)
        {
            PlotlyScriptMode mode = state.PlotlySent ? PlotlyScriptMode.AssumeLoaded : PlotlyScriptMode.Inline;
            state.PlotlySent = true;
            return html(mode);
        }
    }
}
