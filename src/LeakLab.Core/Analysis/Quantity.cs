using System.Globalization;

namespace LeakLab.Core.Analysis;

/// <summary>Numbers as the analyses' one-sentence reasons print them: invariant culture, binary units.</summary>
internal static class Quantity
{
    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 object", "2,000 objects": the count and the noun, plural unless the count is 1.</summary>
    internal static string Of(long value, string noun) => $"{Count(value)} {noun}{(value == 1 ? "" : "s")}";

    internal static string Percent(double ratio) =>
        (ratio >= 0 ? "+" : "") + (ratio * 100).ToString(ratio is > -0.1 and < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
}
