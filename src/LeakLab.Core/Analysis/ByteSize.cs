using System.Globalization;

namespace LeakLab.Core.Analysis;

/// <summary>Byte counts as people read them; the one formatter behind text, HTML, charts and the analyses' reasons.</summary>
internal static class ByteSize
{
    private static readonly string[] s_units = ["KiB", "MiB", "GiB", "TiB"];

    /// <summary>
    /// "512 B", "1.5 KiB", "12.3 MiB", "2.0 GiB": binary units with one decimal, negative values signed, always in the
    /// invariant culture (a report reads the same on every machine and parses as one number).
    /// </summary>
    public static string Format(long bytes)
    {
        if (Math.Abs((double)bytes) < 1024)
            return bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
        double value = bytes;
        int unit = -1;
        while (Math.Abs(value) >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + s_units[unit];
    }
}
