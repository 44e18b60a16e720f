namespace LeakLab;

/// <summary>
/// The formatter source the kernel (and LeakLab's headless runner) instantiates by reflection for every
/// <see cref="LeakLabResult"/>: one formatter per MIME type.
/// </summary>
internal sealed class LeakLabFormatterSource
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    // Reflection-bound: the kernel calls GetMethod("CreateTypeFormatters") and enumerates the result.
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new LeakLabFormatter(Html);
        yield return new LeakLabFormatter(PlainText);
    }
}
