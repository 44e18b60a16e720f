using System.Globalization;

namespace LeakLab.Core.Analysis;

/// <summary>Numbers as the analyses' one-sentence reasons print them: invariant culture, binary units.</summary>
internal static class Quantity
{
    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Percent(double ratio) =>
        (ratio >= 0 ? "+" : "") + (ratio * 100).ToString(ratio is > -0.1 and < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
}
