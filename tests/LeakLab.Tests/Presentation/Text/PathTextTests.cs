using LeakLab.Notebooks.Results;

namespace LeakLab.Tests.Presentation.Text;

/// <summary>One one-line form of a retention path everywhere: "→" between steps and "×5,727" for a collapsed run.</summary>
public class PathTextTests
{
    private static readonly RetentionPath s_timers = new(RootKind.StaticField, "Shop.Timers.Queue",
        [
            new PathStep("System.Threading.TimerQueue", null),
            new PathStep("System.Threading.TimerQueueTimer", "_next", 5727),
            new PathStep("System.Object[]", "[]"),
            new PathStep("Shop.Poller", "(dependent handle)"),
        ], Count: 1, ExampleAddress: 0x10);

    private const string Steps =
        "System.Threading.TimerQueue → ._next System.Threading.TimerQueueTimer ×5,727 → [] System.Object[] → (dependent handle) Shop.Poller";

    [Fact]
    public void Shape_writes_arrows_and_a_grouped_repeat_count() => Assert.Equal(Steps, s_timers.Shape);

    [Fact]
    public void Cli_path_label_is_the_shape_after_the_root()
    {
        string label = TextReport.PathLabel(s_timers.RootKind, s_timers.RootName, s_timers.Steps, TextReportOptions.Default);
        Assert.Equal("static Shop.Timers.Queue → " + Steps, label);
    }

    [Fact]
    public void Notebook_dataframe_and_chain_text_use_the_same_forms()
    {
        var result = new PathsResult("a.dmp", "type Shop.Poller", [s_timers]);
        Assert.Equal(Steps, result.ToDataFrames().Single().Frame["path"][0]);
        Assert.Contains("System.Threading.TimerQueueTimer  ×5,727 (via ._next)", result.ToText());
        Assert.DoesNotContain("(x", result.ToText());
    }

    [Theory]
    [InlineData(1, "Further path: 1 of these objects is also reached", "Path 1 of 1: 1 object (e.g.")]
    [InlineData(2, "Further path: 2 of these objects are also reached", "Path 1 of 1: 2 objects (e.g.")]
    public void Path_headers_agree_with_their_count(int count, string further, string attributed)
    {
        string text = TextReport.Paths([s_timers with { Count = count }, s_timers with { Count = count, IsFurther = true }]);
        Assert.Contains(further, text);
        Assert.Contains(attributed, text);
    }

    [Fact]
    public void A_tiny_share_reads_less_than_a_tenth_not_zero()
    {
        string text = TextReport.Paths([s_timers with { Count = 2750 }, s_timers with { RootName = "Shop.Other", Count = 1 }]);
        Assert.Contains("Path 2 of 2: 1 object (<0.1%)", text);
    }
}
