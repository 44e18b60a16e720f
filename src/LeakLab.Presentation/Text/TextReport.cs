using System.Globalization;
using System.Text;

namespace LeakLab.Presentation.Text;

/// <summary>
/// Plain-text renderings of LeakLab's results for terminals and logs: aligned tables and retention paths drawn as
/// indented chains. One method per result; each file of this partial class holds one of them.
/// </summary>
public static partial class TextReport
{
    /// <summary>How a root reads in a path or table: "static Ns.Type.Field", "event Ns.Type.Changed", or the root's own name.</summary>
    public static string RootLabel(RootKind kind, string name) => kind switch
    {
        RootKind.StaticField => "static " + name,
        RootKind.ThreadStaticField => "thread-static " + name,
        RootKind.Event => "event " + name,
        RootKind.Timer => "timer " + name,
        _ => name,
    };

    /// <summary>A short name for a root kind: "static", "strong handle", "stack", ...</summary>
    public static string KindLabel(RootKind kind) => kind switch
    {
        RootKind.StaticField => "static",
        RootKind.ThreadStaticField => "thread-static",
        RootKind.StrongHandle => "strong handle",
        RootKind.PinnedHandle => "pinned handle",
        RootKind.OtherHandle => "handle",
        RootKind.ThreadStack => "stack",
        RootKind.FinalizerQueue => "finalizer queue",
        RootKind.Timer => "timer",
        RootKind.Event => "event",
        _ => "other",
    };

    internal static string Hex(ulong address) => "0x" + address.ToString("x", CultureInfo.InvariantCulture);

    internal static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"64.5%"; a share too small to show as 0.1% reads "&lt;0.1%", never "0.0%", which would say none.</summary>
    internal static string Percent(long part, long whole) =>
        whole <= 0 ? ""
        : part > 0 && 1000L * part < whole ? "<0.1%"
        : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    internal static void AppendMore(StringBuilder text, int shown, int total, string what)
    {
        if (total > shown)
            text.Append(CultureInfo.InvariantCulture, $"... {N(total - shown)} more {what} not shown\n");
    }
}
