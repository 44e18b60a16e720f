using Xunit;

namespace LeakLab.Tests.Analysis;

/// <summary>Issue 8, item 4: snapshots are ordered by the capture time recorded in them; when one records none, the given order is kept and the note says so, and says when the times that are recorded run backwards.</summary>
public class CaptureOrderTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private static SnapshotInfo At(string file, int? seconds) =>
        new() { SourceKind = "dump", Path = "/tmp/" + file, CapturedAt = seconds is null ? null : s_start.AddSeconds(seconds.Value) };

    private static (string[] Order, string Note) Sort(params SnapshotInfo[] given)
    {
        var sorted = CaptureOrder.Sort(given, s => s, out string note);
        return ([.. sorted.Select(s => s.Label)], note);
    }

    [Fact]
    public void Recorded_times_reorder_files_given_newest_first()
    {
        var (order, note) = Sort(At("c.dmp", 20), At("b.dmp", 10), At("a.dmp", 0));
        Assert.Equal(["a.dmp", "b.dmp", "c.dmp"], order);
        Assert.StartsWith("reordered by the capture times", note);
    }

    [Fact]
    public void A_file_without_a_time_keeps_the_given_order_and_says_so()
    {
        var (order, note) = Sort(At("a.dmp", 0), At("peer.dmp", null), At("c.dmp", 20));
        Assert.Equal(["a.dmp", "peer.dmp", "c.dmp"], order);
        Assert.StartsWith("capture time not recorded in peer.dmp", note);
        Assert.DoesNotContain("taken before", note);
    }

    [Fact]
    public void The_kept_order_names_recorded_times_that_run_backwards()
    {
        var (order, note) = Sort(At("c.dmp", 20), At("peer.dmp", null), At("b.dmp", 10));
        Assert.Equal(["c.dmp", "peer.dmp", "b.dmp"], order);
        Assert.StartsWith("capture time not recorded in peer.dmp", note);
        Assert.EndsWith("; but b.dmp was taken before c.dmp: give the files oldest first", note);
    }
}
