namespace LeakLab;

/// <summary>Layout choices for <see cref="TextReport"/>: how wide the terminal is, how names and bytes read.</summary>
public sealed record TextReportOptions
{
    public static TextReportOptions Default { get; } = new();

    /// <summary>Line width limit for tables; long names are truncated in the middle to fit.</summary>
    public int MaxWidth { get; init; } = int.MaxValue;

    /// <summary>Show byte counts as "12.3 MiB" rather than exact figures.</summary>
    public bool HumanizeBytes { get; init; }

    /// <summary>
    /// Show type and root names short (<see cref="ShortNames"/>: <c>Dictionary&lt;Int64, CachedOrder&gt;</c>) in tables,
    /// paths and suspects. Off by default; the CLI turns it on unless <c>--full-names</c> is given.
    /// </summary>
    public bool ShortNames { get; init; }

    /// <summary>A table that follows these options (width limit, byte format, short names).</summary>
    public TextTable Table(params TextColumn[] columns) =>
        new(columns) { MaxWidth = MaxWidth, HumanizeBytes = HumanizeBytes, ShortNames = ShortNames };

    /// <summary>A type name as these options show it outside a table.</summary>
    public string TypeName(string name) => TextTable.Printable(ShortNames ? LeakLab.ShortNames.Type(name) : name);

    /// <summary>A root or path label as these options show it outside a table.</summary>
    public string RootName(string name) => TextTable.Printable(ShortNames ? LeakLab.ShortNames.Member(name) : name);

    internal string Bytes(long bytes) => HumanizeBytes ? TextTable.FormatBytes(bytes) : TextTable.FormatNumber(bytes) + " bytes";
}
