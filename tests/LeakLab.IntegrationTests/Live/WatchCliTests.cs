using System.Text.Json;
using LeakLab.IntegrationTests.Cli;

namespace LeakLab.IntegrationTests.Live;

/// <summary><c>leaklab watch</c> on real sample processes: a leak is named, a bounded cache is not, a dying target keeps the files.</summary>
public sealed class WatchCliTests
{
    private const string EntryType = "LeakLab.Sample.CachedOrder";
    // Where the sample allocates its entries (sampledata/LeakLab.Sample/Scenarios/StaticCacheScenario.cs).
    private const string AllocatingMethod = "LeakLab.Sample.OrderProcessor.Submit";

    private static JsonElement Summary(CliResult result, string folder)
    {
        using JsonDocument stdout = JsonDocument.Parse(result.Stdout);
        using JsonDocument file = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.Equal(file.RootElement.GetProperty("alert").GetBoolean(), stdout.RootElement.GetProperty("alert").GetBoolean());
        return stdout.RootElement.Clone();
    }

    /// <summary>A watch with three snapshots that runs its full duration (exit 0); the summary on stdout, checked against summary.json.</summary>
    private static (CliResult, JsonElement) WatchToTheEnd(SampleProcess sample, int seconds, string dir, params string[] more)
    {
        CliResult result = CliRun.InProcess(["watch", "--pid", sample.Pid.ToString(), "--duration", seconds.ToString(), "--snapshots", "3", "--out", dir, "--json", .. more]);
        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement summary = Summary(result, dir);
        Assert.Equal(3, summary.GetProperty("snapshots").GetInt32());
        return (result, summary);
    }

    [Fact]
    public async Task Watching_the_static_cache_raises_an_alert_naming_the_cached_type_and_its_allocation_stack()
    {
        // 2,000 steps/s: about one sample of the small CachedOrder objects per second (AllocationSampled picks bytes).
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "2000");
        using var folder = new TempFolder("leaklab-watch");
        string dir = folder.File("out");

        (CliResult result, JsonElement summary) = WatchToTheEnd(sample, seconds: 6, dir, "--dump-on-alert");

        Assert.True(summary.GetProperty("alert").GetBoolean(), result.ToString());
        Assert.True(summary.GetProperty("samples").GetInt64() > 0, result.ToString());
        Assert.Equal("AllocationSampled", summary.GetProperty("sampler").GetString());
        JsonElement entry = summary.GetProperty("growing").EnumerateArray().Single(g => g.GetProperty("type").GetString() == EntryType);
        long[] counts = [.. entry.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64())];
        Assert.Equal(3, counts.Length);
        Assert.True(counts[0] < counts[1] && counts[1] < counts[2], string.Join(",", counts));
        // The leaking type's top allocation stack, from the runtime's stack walk: innermost frame the sample's Submit.
        string[] frames = [.. entry.GetProperty("stacks")[0].GetProperty("frames").EnumerateArray().Select(f => f.GetString()!)];
        Assert.StartsWith(AllocatingMethod + "(", frames[0]);
        Assert.Contains($"{EntryType} allocated at {AllocatingMethod} ← ", summary.GetProperty("reason").GetString());
        // --dump-on-alert: one dump, taken while the process was leaking, named in the summary; readable as a dump.
        Assert.Equal("alert.dmp", summary.GetProperty("alertDump").GetString());
        Assert.Single(Directory.GetFiles(dir, "*.dmp"));
        Assert.Contains("leak warning: wrote ", result.StderrJoined);
        var stacks = File.ReadAllLines(Path.Combine(dir, "allocations.csv"));
        Assert.Equal("time,elapsed_s,type,bytes,kind,stack", stacks[0]);
        Assert.Contains(stacks, l => l.Contains(AllocatingMethod, StringComparison.Ordinal));

        // The files: each snapshot readable, the CSVs with rows, all of them owner-only.
        string[] files = ["counters.csv", "gc.csv", "allocations.csv", "summary.json", "snapshot-1.llhg", "snapshot-2.llhg", "snapshot-3.llhg", "alert.dmp"];
        Assert.All(files, name => Assert.True(File.Exists(Path.Combine(dir, name)), name));
        if (!OperatingSystem.IsWindows())
        {
            foreach (string name in files)
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, name)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        }
        HeapGraph last = HeapSnapshotFile.Load(Path.Combine(dir, "snapshot-3.llhg"));
        Assert.Equal(sample.Pid, last.Info.ProcessId);

        string[] gcRows = File.ReadAllLines(Path.Combine(dir, "gc.csv"));
        // Every snapshot induces one gen2 GC, which the live session sees with its sizes after.
        string[] induced = [.. gcRows.Skip(1).Where(r => r.Split(',') is [_, _, _, "2", "Induced", ..])];
        Assert.True(induced.Length >= 3, string.Join("\n", gcRows));
        // Sizes after (gen0..POH) and promoted bytes; the process's first GC leaves gen2 empty (survivors move to gen1).
        Assert.All(induced, r => Assert.True(r.Split(',')[8..13].Sum(long.Parse) > 0 && long.Parse(r.Split(',')[13]) > 0, r));
        string counters = File.ReadAllText(Path.Combine(dir, "counters.csv"));
        foreach (string counter in new[] { "gc-heap-size", "gen-2-size", "loh-size", "gc-fragmentation", "alloc-rate", "time-in-gc", "threadpool-thread-count", "exception-count" })
            Assert.Contains($",{counter},", counters);
    }

    [Fact]
    public async Task Watching_the_control_workload_raises_no_alert()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control");
        using var folder = new TempFolder("leaklab-watch");

        (CliResult result, JsonElement summary) = WatchToTheEnd(sample, seconds: 5, folder.File("out"));

        Assert.False(summary.GetProperty("alert").GetBoolean(), result.ToString());
        Assert.Equal(0, summary.GetProperty("growing").GetArrayLength());
    }

    [Fact]
    public async Task A_target_that_dies_mid_watch_keeps_the_files_and_exits_3()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "200");
        using var folder = new TempFolder("leaklab-watch");
        string dir = folder.File("out");

        Task<CliResult> watch = Task.Run(() => CliRun.InProcess("watch", "--pid", sample.Pid.ToString(), "--duration", "60", "--snapshots", "2", "--out", dir, "--json"));
        // Wait for the first snapshot (taken at the start), then kill the target.
        string first = Path.Combine(dir, "snapshot-1.llhg");
        for (int i = 0; i < 120 && !File.Exists(first) && !watch.IsCompleted; i++)
            await Task.Delay(250);
        if (!File.Exists(first))
            Assert.Fail(watch.IsCompleted ? (await watch).ToString() : "no first snapshot within 30 s");
        sample.Process.Kill();
        CliResult result = await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"process {sample.Pid} exited after", result.StderrJoined);
        Assert.Contains("what was collected is kept in", result.StderrJoined);
        JsonElement summary = Summary(result, dir);
        Assert.Equal("exited", summary.GetProperty("ended").GetString());
        Assert.Equal(1, summary.GetProperty("snapshots").GetInt32());
        Assert.True(File.ReadAllLines(Path.Combine(dir, "gc.csv")).Length >= 2, "the induced GC of the first snapshot is recorded");
        Assert.True(File.Exists(Path.Combine(dir, "counters.csv")));
    }

    [Fact]
    public async Task A_cancelled_watch_still_writes_its_summary_and_exits_130()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control");
        using var folder = new TempFolder("leaklab-watch");
        string dir = folder.File("out");
        using var cancel = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Task<int> watch = Task.Run(() => LeakLab.Cli.CliApp.Run(
            ["watch", "--pid", sample.Pid.ToString(), "--duration", "60", "--snapshots", "0", "--out", dir, "--json"], stdout, stderr, cancel.Token));
        await Task.Delay(TimeSpan.FromSeconds(3));
        cancel.Cancel(); // what Ctrl+C does in Program.cs
        int exit = await watch.WaitAsync(TimeSpan.FromSeconds(30));

        var result = new CliResult(exit, stdout.ToString(), stderr.ToString());
        Assert.True(exit == 130, result.ToString());
        Assert.Contains("watch cancelled after", result.StderrJoined);
        JsonElement summary = Summary(result, dir);
        Assert.Equal("cancelled", summary.GetProperty("ended").GetString());
        Assert.True(File.ReadAllLines(Path.Combine(dir, "counters.csv")).Length > 1, "counters from the first seconds are kept");
    }

    [Fact]
    public void Watching_a_pid_that_is_not_running_leaves_no_files_behind()
    {
        using var folder = new TempFolder("leaklab-watch");
        int pid = Enumerable.Range(900_000, 10_000).First(p => !Directory.Exists($"/proc/{p}"));
        string fresh = folder.File("new");
        CliRun.AssertOneLineError(CliRun.InProcess("watch", "--pid", pid.ToString(), "--duration", "5", "--out", fresh));
        Assert.False(Directory.Exists(fresh), "the folder the watch created is removed");

        string empty = folder.File("empty");
        Directory.CreateDirectory(empty);
        CliRun.AssertOneLineError(CliRun.InProcess("watch", "--pid", pid.ToString(), "--duration", "5", "--out", empty));
        Assert.True(Directory.Exists(empty), "a folder the user made stays");
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }
}
