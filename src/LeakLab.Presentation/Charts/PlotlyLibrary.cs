using System.Reflection;
using System.Text.RegularExpressions;

namespace LeakLab.Presentation.Charts;

/// <summary>plotly.js (npm plotly.js-dist-min, version pinned in js/package.json), embedded by the build so charts draw offline.</summary>
internal static partial class PlotlyLibrary
{
    private const string ResourceName = "LeakLab.plotly.min.js";
    private static readonly Lazy<string> s_source = new(Load);
    // Where a page has require.js (Jupyter's HTML export, classic Notebook), plotly's UMD header would register an
    // anonymous AMD module ("Mismatched anonymous define()") instead of setting window.Plotly: hide define meanwhile.
    private static readonly Lazy<string> s_inline = new(() =>
        $"<script data-ll-plotly-lib=\"{Version}\">if(!window.Plotly){{var __llDefine=window.define;window.define=undefined;try{{\n{Source}\n}}finally{{window.define=__llDefine;}}}}</script>");

    /// <summary>The minified library, safe to place inside a script element.</summary>
    public static string Source => s_source.Value;

    /// <summary>"4.1.2", read from the library's header comment.</summary>
    public static string Version
    {
        get
        {
            var m = VersionRegex().Match(Source.Length > 400 ? Source[..400] : Source);
            return m.Success ? m.Groups[1].Value : "unknown";
        }
    }

    /// <summary>The script element an inline chart carries; identical every time, so reports can find and drop it.</summary>
    public static string InlineScriptElement => s_inline.Value;

    private static string Load()
    {
        using Stream? stream = typeof(PlotlyLibrary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new LeakLabException(LeakLabErrorKind.Failed,
                $"plotly.js is missing from {typeof(PlotlyLibrary).Assembly.GetName().Name}.dll; rebuild LeakLab.Presentation with npm available (it installs plotly.js-dist-min).");
        using var reader = new StreamReader(stream);
        string js = reader.ReadToEnd();
        // The library goes inside <script>: a literal "</script" or "<script" in it would end the element early or
        // confuse the HTML tokenizer. The pinned build has neither; escaping keeps a future one safe too
        // ("<\/" and "\x3C" mean the same in JS strings and regexes).
        js = Regex.Replace(js, "</(script)", "<\\/$1", RegexOptions.IgnoreCase);
        js = Regex.Replace(js, "<(script)", "\\x3C$1", RegexOptions.IgnoreCase);
        return js;
    }

    [GeneratedRegex(@"plotly\.js v(\d+\.\d+\.\d+)")]
    private static partial Regex VersionRegex();
}
