namespace LeakLab.Tests.Presentation.Text;

/// <summary>How a table fits a terminal: short names, optional columns, escaped control characters.</summary>
public sealed class TextTableFitTests
{
    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    [Fact]
    public void Short_names_are_shown_unless_two_would_read_the_same()
    {
        var table = new TextTable(new TextColumn("Type", ColumnKind.TypeName), new TextColumn("Root", ColumnKind.RootName)) { ShortNames = true };
        table.AddRow("System.Threading.Timer", "static Shop.Jobs.Clock");
        table.AddRow("System.Timers.Timer", "static Shop.Jobs.Clock");
        table.AddRow("Shop.CachedOrder", "static Shop.OrderCache.Entries");
        string[] lines = Lines(table.Render());

        Assert.StartsWith("System.Threading.Timer", lines[2]);
        Assert.StartsWith("System.Timers.Timer", lines[3]);
        Assert.StartsWith("CachedOrder ", lines[4]);
        Assert.EndsWith("static OrderCache.Entries", lines[4]);
        Assert.EndsWith("static Jobs.Clock", lines[2]);
    }

    [Fact]
    public void Full_names_stay_when_short_names_are_off()
    {
        var table = new TextTable(new TextColumn("Type", ColumnKind.TypeName));
        table.AddRow("Shop.CachedOrder");
        Assert.Equal("Shop.CachedOrder", Lines(table.Render())[2]);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(120)]
    public void Optional_columns_go_before_names_are_cut(int width)
    {
        var table = new TextTable(
            new TextColumn("Count per snapshot", ColumnKind.Number), new TextColumn("ΔCount", ColumnKind.Delta, Optional: true),
            new TextColumn("ΔBytes", ColumnKind.BytesDelta), new TextColumn("Retained", ColumnKind.Bytes, Optional: true),
            new TextColumn("Type", ColumnKind.TypeName))
        { MaxWidth = width, ShortNames = true };
        const string type = "System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>+Entry[]";
        table.AddRow("9,033 → 15,842 → 21,520 → 30,000 → 41,000", 31_967L, 13_086_376L, 22_551_936L, type);
        string[] lines = Lines(table.Render());

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        string shortType = ShortNames.Type(type);
        if (width >= 100)
            Assert.EndsWith(shortType, lines[2]); // room for the whole short name
        else
            Assert.DoesNotContain("Retained", lines[0]); // an optional column made room first
        Assert.Contains("ΔBytes", lines[0]);        // required columns stay
    }

    [Fact]
    public void Control_characters_in_a_cell_are_escaped_not_printed()
    {
        var table = new TextTable(new TextColumn("Name"), new TextColumn("N", ColumnKind.Number));
        table.AddRow("evil\nname\u001b]0;title\u0007\u001b[2J", 1);
        string text = table.Render();

        Assert.Equal(3, Lines(text).Length); // the newline did not break the row
        Assert.Contains(@"evil\nname\x1b]0;title\x07\x1b[2J", text);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
    }

    /// <summary>A path shape too wide for the terminal loses whole middle steps, never part of a name.</summary>
    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(100)]
    public void Path_shapes_shrink_by_whole_steps(int width)
    {
        string[] steps =
        [
            "static OrderCache.Entries", "_entries Dictionary<Int64, CachedOrder>+Entry[]", "[] CachedOrder", "<Payload>k__BackingField PayloadHolder", "_bytes Byte[]",
        ];
        string path = string.Join(TextTable.PathArrow, steps);
        var table = new TextTable(new TextColumn("Objects", ColumnKind.Number), new TextColumn("Path", ColumnKind.Path)) { MaxWidth = width };
        table.AddRow(9561, path);
        string cell = Lines(table.Render())[2].TrimStart().Split("  ", 2)[1].Trim();

        Assert.True(cell.Length <= width, cell);
        string[] shown = cell.Split(TextTable.PathArrow);
        Assert.Equal(steps[0], shown[0]);
        Assert.Equal(steps[^1], shown[^1]);
        Assert.All(shown, s => Assert.True(s == "…" || steps.Contains(s), $"'{s}' is not a whole step of the path"));
        Assert.Contains("…", shown);
    }

    [Fact]
    public void A_path_that_fits_is_kept_whole_and_a_tiny_width_keeps_the_last_step()
    {
        Assert.Equal("static A.B → x X", TextTable.TruncateSteps("static A.B → x X", 40));
        Assert.Equal("… → _bytes Byte[]", TextTable.TruncateSteps("static OrderCache.Entries → _entries Entry[] → _bytes Byte[]", 30));
    }

    [Fact]
    public void A_root_too_long_for_the_cell_is_cut_in_its_middle_not_dropped()
    {
        // Without the root every row of a path-shape table reads "… → [] String": which root is the answer.
        string cell = TextTable.TruncateSteps("static OrderCache.Entries → _entries Entry[] → _bytes Byte[]", 38);
        Assert.Equal("static Or….Entries → … → _bytes Byte[]", cell);
    }
}
