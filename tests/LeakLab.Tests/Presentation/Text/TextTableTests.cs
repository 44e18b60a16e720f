using System.Globalization;

namespace LeakLab.Tests.Presentation.Text;

public class TextTableTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Numbers_are_right_aligned_with_thousands_separators_and_text_left_aligned()
    {
        var table = new TextTable(new TextColumn("Count", ColumnKind.Number), new TextColumn("Type"));
        table.AddRow(1234567L, "System.String");
        table.AddRow(5, "Byte[]");
        string[] lines = Lines(table.Render());

        Assert.Equal(4, lines.Length);
        Assert.Equal("    Count  Type", lines[0]);
        Assert.Equal("---------  -------------", lines[1]);
        Assert.Equal("1,234,567  System.String", lines[2]);
        Assert.Equal("        5  Byte[]", lines[3]);
    }

    [Fact]
    public void Formatting_ignores_the_machine_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var table = new TextTable(new TextColumn("Bytes", ColumnKind.Number), new TextColumn("Score", ColumnKind.Number));
            table.AddRow(1234567L, 0.875);
            string row = Lines(table.Render())[2];
            Assert.Contains("1,234,567", row);
            Assert.Contains("0.88", row);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(5L * 1024 * 1024, "5.0 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024 + 512L * 1024 * 1024, "3.5 GiB")]
    [InlineData(-2048L, "-2.0 KiB")]
    public void Bytes_are_humanised_in_binary_units(long bytes, string expected) =>
        Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void Bytes_columns_humanise_only_when_asked()
    {
        var exact = new TextTable(new TextColumn("Bytes", ColumnKind.Bytes)).AddRow(1536L);
        var human = new TextTable(new TextColumn("Bytes", ColumnKind.Bytes)) { HumanizeBytes = true }.AddRow(1536L);
        Assert.Equal("1,536", Lines(exact.Render())[2].Trim());
        Assert.Equal("1.5 KiB", Lines(human.Render())[2].Trim());
    }

    [Fact]
    public void Deltas_carry_a_sign()
    {
        var table = new TextTable(new TextColumn("Δ", ColumnKind.Delta));
        table.AddRow(1234L).AddRow(-5L).AddRow(0L);
        string[] lines = Lines(table.Render());
        Assert.Equal("+1,234", lines[2]);
        Assert.Equal("    -5", lines[3]);
        Assert.Equal("     0", lines[4]);
    }

    [Theory]
    [InlineData("System.Collections.Generic.Dictionary<System.String, System.Byte[]>", 20)]
    [InlineData("abcdefghij", 5)]
    [InlineData("abcdefghij", 2)]
    public void Truncation_keeps_both_ends_and_marks_the_cut(string text, int width)
    {
        string cut = TextTable.TruncateMiddle(text, width);
        Assert.Equal(width, cut.Length);
        int mark = cut.IndexOf('…');
        Assert.True(mark >= 0, cut);
        Assert.StartsWith(cut[..mark], text);
        Assert.EndsWith(cut[(mark + 1)..], text);
    }

    [Fact]
    public void Short_text_is_not_truncated() =>
        Assert.Equal("Byte[]", TextTable.TruncateMiddle("Byte[]", 6));

    [Fact]
    public void Width_limit_shrinks_text_columns_and_rounds_bytes_but_never_cuts_numbers()
    {
        const string longName = "System.Collections.Generic.Dictionary<System.String, System.Collections.Generic.List<LeakLab.Sample.Order>>+Entry[]";
        var table = new TextTable(new TextColumn("Count", ColumnKind.Number), new TextColumn("Bytes", ColumnKind.Bytes), new TextColumn("Type"))
        {
            MaxWidth = 60,
        };
        table.AddRow(123456789L, 9876543210L, longName);
        table.AddRow(1L, 2L, "Short");
        string[] lines = Lines(table.Render());

        Assert.All(lines, l => Assert.True(l.Length <= 60, $"{l.Length}: {l}"));
        Assert.Contains("123,456,789", lines[2]);
        Assert.Contains("9.2 GiB", lines[2]);  // exact bytes did not fit: they read as a unit, counts stay exact
        Assert.Contains("…", lines[2]);
        Assert.Contains("  System.Coll", lines[2]);   // the start of the name survives
        Assert.EndsWith("+Entry[]", lines[2]);              // and so does its end
        Assert.EndsWith("Short", lines[3]);
    }

    [Fact]
    public void Column_max_width_truncates_even_without_a_table_limit()
    {
        var table = new TextTable(new TextColumn("Name", ColumnKind.Text, MaxWidth: 8), new TextColumn("N", ColumnKind.Number));
        table.AddRow("abcdefghijklmnop", 1);
        string row = Lines(table.Render())[2];
        Assert.StartsWith("abcd…nop", row);
    }

    [Fact]
    public void Columns_line_up_on_every_row()
    {
        var table = new TextTable(new TextColumn("Type"), new TextColumn("Count", ColumnKind.Number), new TextColumn("Root"));
        table.AddRow("A", 1, "static X.Y");
        table.AddRow("Much.Longer.Type.Name", 1_000_000, "z");
        string[] lines = Lines(table.Render());
        int rootColumn = lines[0].IndexOf("Root", StringComparison.Ordinal);
        Assert.Equal(rootColumn, lines[2].IndexOf("static", StringComparison.Ordinal));
        Assert.Equal(rootColumn, lines[3].LastIndexOf('z'));
        int countEnd = lines[0].IndexOf("Count", StringComparison.Ordinal) + "Count".Length;
        Assert.Equal(countEnd, lines[2].IndexOf('1') + 1);
        Assert.Equal(countEnd, lines[3].IndexOf("1,000,000", StringComparison.Ordinal) + "1,000,000".Length);
    }

    [Fact]
    public void Missing_cells_are_empty_and_extra_cells_are_rejected()
    {
        var table = new TextTable(new TextColumn("A"), new TextColumn("B", ColumnKind.Number));
        table.AddRow("x");
        Assert.Equal("x", Lines(table.Render())[2]);
        Assert.Throws<ArgumentException>(() => table.AddRow("x", 1, 2));
        Assert.Throws<ArgumentException>(() => new TextTable());
    }

    [Fact]
    public void Empty_table_still_has_its_header()
    {
        string[] lines = Lines(new TextTable(new TextColumn("Type"), new TextColumn("Count", ColumnKind.Number)).Render());
        Assert.Equal(2, lines.Length);
        Assert.Equal("Type  Count", lines[0]);
    }
}
