namespace LeakLab.Presentation.Text;

/// <summary>How a <see cref="TextTable"/> column formats and aligns its cells.</summary>
internal enum ColumnKind
{
    /// <summary>Left-aligned text; text columns shrink (middle truncation) when the table is too wide.</summary>
    Text,
    /// <summary>Right-aligned number with thousands separators.</summary>
    Number,
    /// <summary>Right-aligned byte count: thousands separators, or "1.5 MiB" when the table humanises bytes.</summary>
    Bytes,
    /// <summary>Right-aligned signed change ("+1,234", "-5", "0").</summary>
    Delta,
    /// <summary>Right-aligned signed byte change, humanised like <see cref="Bytes"/>.</summary>
    BytesDelta,
    /// <summary>A type name: text, shown short (<see cref="ShortNames.Type"/>) unless the table keeps full names.</summary>
    TypeName,
    /// <summary>A root, frame or path label: text, shown short (<see cref="ShortNames.Member"/>) unless the table keeps full names.</summary>
    RootName,
    /// <summary>
    /// A retention path "root → .field Type → ...": text that shrinks by whole steps (the root and the last steps stay,
    /// the middle ones become "…"), so no name is cut in the middle.
    /// </summary>
    Path,
}
