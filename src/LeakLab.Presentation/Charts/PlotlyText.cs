namespace LeakLab.Presentation.Charts;

/// <summary>Plotly reads a small HTML subset in labels (&lt;b&gt;, &lt;br&gt;, entities); escaping keeps type names like
/// <c>&lt;&gt;c__DisplayClass0_0</c> displayed verbatim. Plotly renders text as SVG text, so this is about fidelity, not script safety.</summary>
internal static class PlotlyText
{
    public static string Label(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        if (text.AsSpan().IndexOfAny("<>&") < 0)
            return text;
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
                   .Replace("<", "&lt;", StringComparison.Ordinal)
                   .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>Long generic names shortened in the middle for legends and axes.</summary>
    public static string Short(string text, int max = 70) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max / 2 - 1), "\u2026", text.AsSpan(text.Length - (max / 2 - 1)));
}
