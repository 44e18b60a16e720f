using System.Diagnostics;
using System.Text.Json;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// One running S01 sample (static cache) and two <c>leaklab snapshot</c> files of it taken seconds apart, shared by
/// <see cref="SnapshotCliTests"/>: the snapshots go through the real command, so the fixture is itself the first test.
/// </summary>
public sealed class StaticCacheSnapshotCliFixture : IAsyncLifetime
{
    private SampleProcess? _sample;

    public SampleProcess Sample => _sample ?? throw new InvalidOperationException("the fixture did not start");
    public string First { get; private set; } = "";
    public string Second { get; private set; } = "";
    public CliResult FirstRun { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync()
    {
        _sample = await SampleProcess.StartAsync("static-cache", "--rate", "500");
        await Task.Delay(1000); // about 500 leaked orders
        First = Path.Combine(_sample.Folder, "first.llhg");
        FirstRun = await Task.Run(() => CliRun.InProcess("snapshot", "--pid", _sample.Pid.ToString(), "-o", First));
        await Task.Delay(2500); // about 1,250 more: far above the two-snapshot growth floor (4 × 50 objects and 10%)
        Second = Path.Combine(_sample.Folder, "second.llhg");
        CliResult second = await Task.Run(() => CliRun.InProcess("snapshot", "--pid", _sample.Pid.ToString(), "-o", Second));
        if (second.ExitCode != 0)
            throw new InvalidOperationException($"second snapshot failed: {second}");
    }

    public async Task DisposeAsync()
    {
        if (_sample is not null)
            await _sample.DisposeAsync(); // deletes its folder, snapshots included
    }
}

/// <summary><c>leaklab snapshot</c>, and the analysis commands reading .llhg files (alone, mixed with dumps, or disguised).</summary>
public sealed class SnapshotCliTests(StaticCacheSnapshotCliFixture fixture) : IClassFixture<StaticCacheSnapshotCliFixture>, IDisposable
{
    private const string LeakedType = "LeakLab.Sample.CachedOrder";
    private const string CacheField = "LeakLab.Sample.OrderCache.Entries";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Snapshot_prints_the_absolute_path_size_objects_pause_and_total_time()
    {
        CliResult run = fixture.FirstRun;
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"Wrote {fixture.First}", lines[0]);
        long bytes = new FileInfo(fixture.First).Length;
        Assert.Contains($"({bytes:N0} bytes)", lines[1]);
        Assert.Matches(@"[\d,]+ objects", lines[1]);
        Assert.Matches(@"^target paused \d+ ms by GC #\d+; total \d+\.\d+ s", lines[2]);
        Assert.DoesNotContain("error", run.Stderr);
    }

    [Fact]
    public void Stats_json_on_a_snapshot_counts_the_leaked_orders_from_the_graph()
    {
        JsonElement rows = Json(CliRun.InProcess("stats", fixture.First, "--json")).GetProperty("types");

        JsonElement leaked = rows.EnumerateArray().Single(r => r.GetProperty("type").GetString() == LeakedType);
        Assert.True(leaked.GetProperty("count").GetInt64() >= 200, leaked.ToString());
        Assert.Equal(0, leaked.GetProperty("bytes").GetInt64() % leaked.GetProperty("count").GetInt64()); // one class, one size
        long[] bytes = [.. rows.EnumerateArray().Select(r => r.GetProperty("bytes").GetInt64())];
        Assert.Equal(bytes.OrderByDescending(b => b), bytes);
    }

    [Fact]
    public void Paths_json_on_a_snapshot_start_at_the_static_field_with_unnamed_fields()
    {
        JsonElement paths = Json(CliRun.InProcess("paths", fixture.Second, "--type", LeakedType, "--json")).GetProperty("paths");

        JsonElement top = paths[0];
        Assert.Equal("StaticField", top.GetProperty("root").GetProperty("kind").GetString());
        Assert.Equal(CacheField, top.GetProperty("root").GetProperty("name").GetString());
        Assert.True(top.GetProperty("count").GetInt32() >= 500, top.ToString());
        JsonElement[] steps = [.. top.GetProperty("steps").EnumerateArray()];
        Assert.Equal(LeakedType, steps[^1].GetProperty("type").GetString());
        Assert.Equal("?", steps[^1].GetProperty("field").GetString()); // EventPipe carries no field names
    }

    [Fact]
    public void Diff_of_two_snapshots_marks_the_leaked_orders_growing()
    {
        JsonElement diff = Json(CliRun.InProcess("diff", fixture.First, fixture.Second, "--json"));

        Assert.Equal(["eventpipe", "eventpipe"], diff.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("sourceKind").GetString()));
        JsonElement leaked = diff.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == LeakedType);
        Assert.True(leaked.GetProperty("growing").GetBoolean(), leaked.ToString());
        foreach (string series in new[] { "counts", "bytes", "retained" })
            Assert.Equal(2, leaked.GetProperty(series).GetArrayLength());
        long[] counts = [.. leaked.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64())];
        Assert.True(counts[1] - counts[0] >= 500, leaked.ToString());

        JsonElement root = diff.GetProperty("roots").EnumerateArray().Single(r => r.GetProperty("name").GetString() == CacheField);
        Assert.True(root.GetProperty("growing").GetBoolean(), root.ToString());
    }

    [Fact]
    public async Task A_dump_renamed_llhg_is_read_as_a_dump_and_diffs_with_a_snapshot()
    {
        string dump = await fixture.Sample.DumpAsync();
        string disguised = _folder.File("really-a-dump.llhg");
        File.Copy(dump, disguised);
        File.Delete(dump);

        JsonElement rows = Json(CliRun.InProcess("stats", disguised, "--type", LeakedType, "--json")).GetProperty("types");
        Assert.True(rows.EnumerateArray().Single(r => r.GetProperty("type").GetString() == LeakedType).GetProperty("count").GetInt64() > 0);

        // Dump last, so the leak has grown since the first snapshot: a mixed diff still sees it.
        JsonElement diff = Json(CliRun.InProcess("diff", fixture.First, disguised, "--json"));
        Assert.Equal(["eventpipe", "dump"], diff.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("sourceKind").GetString()));
        JsonElement root = diff.GetProperty("roots").EnumerateArray().Single(r => r.GetProperty("name").GetString() == CacheField);
        long[] counts = [.. root.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64())];
        Assert.True(counts[1] > counts[0], root.ToString());
    }

    [Fact]
    public void A_text_file_named_llhg_is_neither_dump_nor_snapshot()
    {
        string text = _folder.File("notes.llhg");
        File.WriteAllText(text, "LL is not enough: this is a log file\n");
        CliRun.AssertOneLineError(CliRun.InProcess("stats", text), 1, "not a dump or snapshot");
        CliRun.AssertOneLineError(CliRun.InProcess("diff", fixture.First, text), 1, "not a dump or snapshot");
    }

    [Fact]
    public void A_snapshot_cut_short_is_one_line()
    {
        string cut = _folder.File("cut.llhg");
        byte[] bytes = File.ReadAllBytes(fixture.First);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        CliRun.AssertOneLineError(CliRun.InProcess("roots", cut), 1, "truncated");
    }

    [Fact]
    public void Bench_rejects_a_snapshot_with_one_line() =>
        CliRun.AssertOneLineError(CliRun.InProcess("bench", "load", fixture.First), 1, "not a dump");

    [Fact]
    public void Default_file_name_goes_into_the_folder_given()
    {
        CliResult result = CliRun.InProcess("snapshot", "--pid", fixture.Sample.Pid.ToString(), "-o", _folder.Path, "--json");
        JsonElement json = Json(result);

        string path = json.GetProperty("path").GetString()!;
        Assert.Equal(_folder.Path, Path.GetDirectoryName(path));
        Assert.Matches($@"^leaklab-.+-{fixture.Sample.Pid}-\d{{8}}-\d{{6}}\.llhg$", Path.GetFileName(path));
        Assert.Equal(new FileInfo(path).Length, json.GetProperty("bytes").GetInt64());
        Assert.True(json.GetProperty("objects").GetInt32() > 1000);
        Assert.True(json.GetProperty("pauseMs").GetDouble() >= 0);
        Assert.True(json.GetProperty("elapsedMs").GetDouble() >= json.GetProperty("pauseMs").GetDouble());
    }

    [Fact]
    public void An_existing_file_is_kept_unless_overwrite_is_given()
    {
        string existing = _folder.File("keep.llhg");
        File.WriteAllText(existing, "precious");
        CliRun.AssertOneLineError(CliRun.InProcess("snapshot", "--pid", fixture.Sample.Pid.ToString(), "-o", existing), 1, "already exists");
        Assert.Equal("precious", File.ReadAllText(existing));

        CliResult replaced = CliRun.InProcess("snapshot", "--pid", fixture.Sample.Pid.ToString(), "-o", existing, "--overwrite");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal("LLHG"u8.ToArray(), File.ReadAllBytes(existing)[..4]);
    }

    [Fact]
    public async Task Snapshot_of_a_dead_process_is_one_line()
    {
        using Process gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        CliRun.AssertOneLineError(CliRun.InProcess("snapshot", "--pid", gone.Id.ToString(), "-o", _folder.File("x.llhg")), 1, "not running");
        Assert.False(File.Exists(_folder.File("x.llhg")));
    }

    [Fact]
    public void Snapshot_into_a_missing_folder_is_one_line()
    {
        string missing = _folder.File("no/such/folder/x.llhg");
        CliRun.AssertOneLineError(CliRun.InProcess("snapshot", "--pid", fixture.Sample.Pid.ToString(), "-o", missing), 1, "does not exist");
    }
}
