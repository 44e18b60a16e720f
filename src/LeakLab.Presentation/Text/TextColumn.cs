namespace LeakLab.Presentation.Text;

/// <summary>One column of a <see cref="TextTable"/>.</summary>
/// <param name="Header">The column title.</param>
/// <param name="Kind">Formatting and alignment of the cells.</param>
/// <param name="MaxWidth">Text longer than this is truncated in the middle, whatever the table width.</param>
/// <param name="Optional">
/// A column the table leaves out when it is too narrow to show its names whole (a figure the other columns already
/// imply or that matters less than the name).
/// </param>
internal sealed record TextColumn(string Header, ColumnKind Kind = ColumnKind.Text, int MaxWidth = int.MaxValue, bool Optional = false)
{
    public bool RightAligned => !IsText;

    /// <summary>Left-aligned and shrinkable: plain text, type names and root names.</summary>
    public bool IsText => Kind is ColumnKind.Text or ColumnKind.TypeName or ColumnKind.RootName or ColumnKind.Path;
}
