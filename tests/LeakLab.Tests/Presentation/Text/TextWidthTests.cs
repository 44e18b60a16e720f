namespace LeakLab.Tests.Presentation.Text;

/// <summary>
/// Issue 15: every line of a text report fits the width; a wrapped line is indented under the line it continues, and
/// a path's wrapped header never reads as a step of the chain below it.
/// </summary>
public class TextWidthTests
{
    private static readonly RetentionPath s_further = new(RootKind.ThreadStack,
        "thread 5 (os 0x199a): System.Diagnostics.Tracing.CounterGroup.PollForValues",
        [
            new PathStep("System.Object[]", null),
            new PathStep("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>", "[]"),
            new PathStep("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>+Entry[]", "_entries"),
            new PathStep("LeakLab.Sample.CachedOrder", "[]"),
        ], Count: 11_141, ExampleAddress: 0x7f6f9d009588) { IsFurther = true };

    private static readonly RetentionPath s_static = s_further with
    {
        RootKind = RootKind.StaticField,
        RootName = "LeakLab.Sample.OrderCache.Entries",
        Steps = s_further.Steps.Skip(1).ToArray(),
        IsFurther = false,
    };

    [Theory]
    [InlineData(60, true)]
    [InlineData(80, false)]
    [InlineData(100, false)]
    public void Paths_with_a_further_path_fit_the_width(int width, bool shortNames)
    {
        string text = TextReport.Paths([s_static, s_further], new TextReportOptions { MaxWidth = width, ShortNames = shortNames });
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        int further = Array.FindIndex(lines, l => l.StartsWith("Further path: 11,141 of these objects", StringComparison.Ordinal));
        Assert.True(further > 0, text);
        // The header's wrapped lines hang four deep; the chain starts at "  root:" right after them.
        int root = Array.FindIndex(lines, further, l => l.StartsWith("  root: ", StringComparison.Ordinal));
        Assert.All(lines[(further + 1)..root], l => Assert.StartsWith("    ", l));
        Assert.Contains("(e.g. 0x7f6f9d009588)", string.Join(" ", lines[further..root]));
        // Nothing is lost by wrapping.
        Assert.Contains(shortNames ? "CounterGroup.PollForValues" : "System.Diagnostics.Tracing.CounterGroup.PollForValues", text);
    }

    [Fact]
    public void A_chain_step_too_long_for_the_width_wraps_deeper_than_its_step()
    {
        string[] lines = TextReport.Paths([s_static], new TextReportOptions { MaxWidth = 60 }).TrimEnd('\n').Split('\n');
        int step = Array.FindIndex(lines, l => l.StartsWith("    System.Collections.Generic.Dictionary<", StringComparison.Ordinal));
        Assert.True(step > 0, string.Join("\n", lines));
        Assert.StartsWith("        ", lines[step + 1]); // the step's own indent (4) plus four
        Assert.All(lines, l => Assert.True(l.Length <= 60, l));
    }

    [Fact]
    public void FitLines_wraps_only_long_lines_under_their_own_indent_and_keeps_long_words_whole()
    {
        var options = new TextReportOptions { MaxWidth = 40 };
        string path = "/tmp/" + new string('x', 50);
        string text = "short line\n    an indented line that is far too long for forty columns " + path + "\nlast";
        string[] lines = options.FitLines(text).Split('\n');
        Assert.Equal("short line", lines[0]);
        Assert.Equal("    an indented line that is far too", lines[1]);
        Assert.All(lines[2..^1], l => Assert.StartsWith("      ", l)); // own indent (4) + 2
        Assert.Contains("      " + path, lines); // a word wider than the width keeps its own line
        Assert.Equal("last", lines[^1]);
        Assert.Equal(text, TextReportOptions.Default.FitLines(text)); // no width limit: unchanged
    }

    [Theory]
    [InlineData("LeakLab.Sample.CachedOrder grew the most: retained +2.3 MiB", "+2.3 MiB")]
    [InlineData("the strongest suspect is the order cache entries (score 0.90 (failed-release))", "(score 0.90")]
    [InlineData("LeakLab.Sample.CachedOrder grew in every snapshot taken (5 samples)", "(5 samples)")]
    [InlineData("LeakLab.Sample.CachedOrder instances went from 49,573 → 120,077", "49,573 → 120,077")]
    public void Wrapping_keeps_numbers_with_their_units_parentheses_and_arrows(string line, string whole)
    {
        // At every width the run stays on one line, and the words keep their order and single spaces.
        for (int width = 20; width <= line.Length; width++)
        {
            string[] lines = TextReportOptions.Wrap(line, width, "", "  ").TrimEnd('\n').Split('\n');
            Assert.True(lines.Any(l => l.Contains(whole, StringComparison.Ordinal)), $"width {width}:\n{string.Join('\n', lines)}");
            Assert.Equal(line, string.Join(' ', lines.Select(l => l.Trim())));
        }
    }

    [Fact]
    public void Wrapping_still_breaks_between_a_number_and_a_clause_and_around_other_arrows()
    {
        string[] lines = TextReportOptions.Wrap("counted 1,234, then more words and a → bb", 20, "", "").TrimEnd('\n').Split('\n');
        Assert.Equal(["counted 1,234, then", "more words and a →", "bb"], lines);
    }

    [Fact]
    public void A_run_longer_than_the_line_breaks_at_its_spaces_after_all()
    {
        // "(System...Int64," would join the next word (an opening parenthesis keeps its word), but together they
        // cannot fit the 80 columns: the line breaks inside the run rather than run past the width.
        string line = "- static field LeakLab.Sample.OrderCache.Entries "
            + "(System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>) keeps ids 2..5,500";
        string[] lines = TextReportOptions.Wrap(line, 80, "     ", "  ").TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Equal(line, string.Join(' ', lines.Select(l => l.Trim())));
    }
}
