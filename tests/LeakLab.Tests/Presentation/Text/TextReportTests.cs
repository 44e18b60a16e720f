namespace LeakLab.Tests.Presentation.Text;

public class TextReportTests
{
    private static readonly RetentionPath s_cachePath = new(
        RootKind.StaticField, "LeakLab.Sample.OrderCache.Entries",
        [
            new PathStep("System.Collections.Generic.Dictionary<System.String, System.Byte[]>", null),
            new PathStep("System.Collections.Generic.Dictionary<System.String, System.Byte[]>+Entry[]", "_entries"),
            new PathStep("System.Byte[]", "[]"),
        ],
        Count: 3000, ExampleAddress: 0x7f3a10a2c8);

    [Fact]
    public void Path_is_drawn_one_step_per_line_from_the_named_root()
    {
        string[] lines = TextReport.Paths([s_cachePath]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("Path 1 of 1: 3,000 objects (e.g. 0x7f3a10a2c8)", lines[0]);
        Assert.Equal("  root: static LeakLab.Sample.OrderCache.Entries", lines[1]);
        Assert.Equal("    System.Collections.Generic.Dictionary<System.String, System.Byte[]>  ._entries", lines[2]);
        Assert.Equal("      System.Collections.Generic.Dictionary<System.String, System.Byte[]>+Entry[]  []", lines[3]);
        Assert.Equal("        System.Byte[]", lines[4]);
    }

    [Fact]
    public void Collapsed_run_shows_its_repeat_count()
    {
        var timerPath = new RetentionPath(RootKind.StrongHandle, "strong handle 0x1234",
            [
                new PathStep("System.Threading.TimerQueue", null),
                new PathStep("System.Threading.TimerQueueTimer", "_next", 1480),
                new PathStep("LeakLab.Sample.Poller", "_state"),
            ], 1, 0x10);
        string text = TextReport.Paths([timerPath]);

        Assert.Contains("  root: strong handle 0x1234\n", text);
        Assert.Contains("System.Threading.TimerQueueTimer  ×1,480 (via ._next)  ._state\n", text);
    }

    [Fact]
    public void Several_paths_show_their_share()
    {
        var other = s_cachePath with { RootName = "LeakLab.Sample.Other.Field", Count = 1000 };
        string text = TextReport.Paths([s_cachePath, other]);
        Assert.Contains("Path 1 of 2: 3,000 objects (75.0%)", text);
        Assert.Contains("Path 2 of 2: 1,000 objects (25.0%)", text);
        Assert.Contains("root: static LeakLab.Sample.Other.Field", text);
    }

    [Fact]
    public void No_paths_says_so() =>
        Assert.StartsWith("No retention path", TextReport.Paths([]));

    [Fact]
    public void Stats_table_shows_top_rows_retained_column_and_totals()
    {
        TypeStat[] stats =
        [
            new("System.Byte[]", 3000, 3_120_000) { Retained = 3_120_000 },
            new("System.String", 100, 4_000) { Retained = 4_000 },
            new("LeakLab.Sample.Order", 10, 320) { Retained = 1_000 },
        ];
        string[] lines = TextReport.Stats(stats, top: 2).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["Count", "Bytes", "Retained", "Type"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["3,000", "3,120,000", "3,120,000", "System.Byte[]"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(4 + 2, lines.Length); // header, rule, 2 rows, "1 more", totals
        Assert.Contains("1 more types", lines[4]);
        Assert.Equal("Total: 3,110 objects, 3,124,320 bytes in 3 types", lines[5]);
    }

    [Fact]
    public void Stats_without_dominators_have_no_retained_column()
    {
        string header = TextReport.Stats([new TypeStat("A", 1, 24)]).Split('\n')[0];
        Assert.DoesNotContain("Retained", header);
    }

    [Theory]
    [InlineData(RootKind.StaticField, "A.B.C", "static A.B.C")]
    [InlineData(RootKind.Event, "A.B.Changed", "event A.B.Changed")]
    [InlineData(RootKind.ThreadStack, "thread #3 in Program.Main", "thread #3 in Program.Main")]
    public void Root_labels_name_the_kind_only_where_the_name_does_not(RootKind kind, string name, string expected) =>
        Assert.Equal(expected, TextReport.RootLabel(kind, name));

    [Theory]
    [InlineData(60)]
    [InlineData(100)]
    public void Diff_types_keep_every_delta_when_narrow(int width)
    {
        // A type may grow by its retained bytes alone; without ΔRetained its row would read "yes, 0, 0 B".
        var comparison = SnapshotComparison.Compare([.. new[] { 100, 200, 300 }.Select((n, i) =>
            new HeapAnalysis(Notebooks.TestGraphs.StaticCache(n, $"s{i + 1}")))]);
        string[] lines = TextReport.Diff(comparison, options: new TextReportOptions { MaxWidth = width }).Split('\n');
        string[] table = [.. lines.SkipWhile(l => l != "Types (suspects first)").Skip(1).TakeWhile(l => l.Length > 0)];
        Assert.All(new[] { "ΔCount", "ΔBytes", "ΔRetained" }, h => Assert.Contains(h, table[0]));
        Assert.All(table, l => Assert.True(l.Length <= width, l));
        Assert.Contains(table, l => l.StartsWith("yes", StringComparison.Ordinal));
    }
}
