using System.Globalization;

namespace LeakLab;

/// <summary>Numbers as the analyses' one-sentence reasons print them: invariant culture, binary units.</summary>
internal static class Quantity
{
    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Bytes(long value)
    {
        double abs = Math.Abs((double)value);
        return abs switch
        {
            < 1024 => value.ToString(CultureInfo.InvariantCulture) + " B",
            < 1024 * 1024 => (value / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
            < 1024L * 1024 * 1024 => (value / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
            _ => (value / (1024.0 * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        };
    }

    internal static string Percent(double ratio) =>
        (ratio >= 0 ? "+" : "") + (ratio * 100).ToString(ratio is > -0.1 and < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
}
