namespace LeakLab;

/// <summary>Layout choices for <see cref="TextReport"/>: how wide the terminal is and whether bytes read as "12.3 MiB".</summary>
public sealed record TextReportOptions
{
    public static TextReportOptions Default { get; } = new();

    /// <summary>Line width limit for tables; long type names are truncated in the middle to fit.</summary>
    public int MaxWidth { get; init; } = int.MaxValue;

    /// <summary>Show byte counts as "12.3 MiB" rather than exact figures.</summary>
    public bool HumanizeBytes { get; init; }

    /// <summary>A table that follows these options (width limit, byte format).</summary>
    public TextTable Table(params TextColumn[] columns) => new(columns) { MaxWidth = MaxWidth, HumanizeBytes = HumanizeBytes };

    internal string Bytes(long bytes) => HumanizeBytes ? TextTable.FormatBytes(bytes) : TextTable.FormatNumber(bytes) + " bytes";
}
