using System.Text.Json;
using LeakLab.IntegrationTests.Cli;

namespace LeakLab.IntegrationTests.Correctness;

/// <summary>
/// Issue 8, items 2, 4 and 5 on a real process: a static token source owns a growing doubly linked list of callback
/// registrations that a local in Main also reaches (by a shorter path).
/// </summary>
public sealed class LinkedCtsTests(LinkedCtsFixture target) : IClassFixture<LinkedCtsFixture>
{
    private const string Static = "Requests.LinkedCtsShape.s_shutdown";

    [Fact]
    public void The_static_owns_the_list_and_the_stack_path_is_a_further_shape()
    {
        CliResult result = CliRun.InProcess("paths", target.Dumps[^1], "--type", "Requests.RequestScope", "--full-names", "--width", "300");
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n');
        int first = Array.FindIndex(lines, l => l.StartsWith("Path 1 of", StringComparison.Ordinal));
        Assert.True(first >= 0, result.ToString());
        Assert.Equal($"  root: static {Static}", lines[first + 1]);
        Assert.Contains("×", result.Stdout); // the list, collapsed: CallbackNode ×N (via .Next)
        int further = Array.FindIndex(lines, l => l.StartsWith("Further path:", StringComparison.Ordinal));
        Assert.True(further > first, result.ToString());
        Assert.StartsWith("  root: thread ", lines[further + 1]);
        Assert.DoesNotContain(lines.Take(further), l => l.StartsWith("  root: thread", StringComparison.Ordinal));
    }

    [Fact]
    public void Retained_gives_the_list_to_the_static()
    {
        CliResult result = CliRun.InProcess("retained", target.Dumps[^1], "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        JsonElement top = doc.RootElement.GetProperty("roots")[0];
        Assert.Equal(Static, top.GetProperty("name").GetString());
        long heap = doc.RootElement.GetProperty("heap").GetProperty("bytes").GetInt64();
        Assert.True(top.GetProperty("retained").GetInt64() > heap / 2, result.Stdout[..Math.Min(2000, result.Stdout.Length)]);
        Assert.Equal(0, doc.RootElement.GetProperty("load").GetProperty("damage").GetProperty("badObjects").GetInt32());
        Assert.DoesNotContain("warning", result.Stderr); // a sound heap reads whole: no bad objects, no dangling references
    }

    [Fact]
    public void Diff_orders_copies_given_newest_first_by_recorded_capture_time_and_finds_the_growing_static()
    {
        // Copies made newest first: their file times run the wrong way, so only the recorded capture time can order them.
        string[] copies = new string[3];
        for (int i = 2; i >= 0; i--)
        {
            copies[i] = Path.Combine(target.Folder, $"copy-{(char)('c' - i)}.dmp");
            File.Copy(target.Dumps[i], copies[i], overwrite: true);
            File.SetLastWriteTimeUtc(copies[i], DateTime.UtcNow.AddMinutes(-i));
        }
        CliResult result = CliRun.InProcess("diff", copies[2], copies[1], copies[0], "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        var labels = doc.RootElement.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("label").GetString()).ToList();
        Assert.Equal(copies.Select(Path.GetFileName), labels);
        Assert.StartsWith("reordered by the capture times", doc.RootElement.GetProperty("order").GetString());
        JsonElement root = doc.RootElement.GetProperty("roots")[0];
        Assert.Equal(Static, root.GetProperty("name").GetString());
        Assert.True(root.GetProperty("growing").GetBoolean(), root.ToString());
    }

    [Fact]
    public void Diff_keeps_the_given_order_and_says_so_when_a_dump_records_no_capture_time()
    {
        string bare = Path.Combine(target.Folder, "no-stamp.dmp");
        File.Copy(target.Dumps[0], bare, overwrite: true);
        using (var file = new FileStream(bare, FileMode.Open))
            file.SetLength(file.Length - 32); // the capture-time trailer, as a dump from another tool lacks it
        Assert.Null(CaptureStamp.TryRead(bare));

        CliResult result = CliRun.InProcess("diff", bare, target.Dumps[1], target.Dumps[2]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("capture time not recorded in no-stamp.dmp", result.Stdout);
        Assert.Contains($"#1  no-stamp.dmp", result.Stdout);
    }

    /// <summary>Issue 8, 5a: three fresh snapshots; the runtime's EventPipe metadata appears once and must not outrank the leak.</summary>
    [Fact]
    public async Task Three_fresh_snapshots_put_the_leaking_static_first_and_no_one_off_step()
    {
        var snapshots = new List<HeapAnalysis>();
        for (int i = 0; i < 3; i++)
        {
            snapshots.Add(new HeapAnalysis(await Task.Run(() => HeapSnapshotCapture.Capture(target.Target.Pid))));
            await Task.Delay(500);
        }
        SnapshotComparison c = SnapshotComparison.CompareInCaptureOrder(snapshots);
        RootTrend top = c.Roots[0];
        Assert.True(top.Name == Static && top.Growing, string.Join("\n", c.Roots.Take(5).Select(r => $"{r.Name} {r.Growing} {r.Score} {r.Reason}")));
        // No growing root grew by a single step (more than 80% of its growth in one interval).
        Assert.All(c.Roots.Where(r => r.Growing), r =>
            Assert.True(r.Counts.Zip(r.Counts.Skip(1), (a, b) => b - a).Max() <= 0.8 * (r.Counts[^1] - r.Counts[0]), $"{r.Name}: {r.Reason}"));
    }
}
