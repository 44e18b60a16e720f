using System.Text.Json;
using LeakLab.IntegrationTests.Cli;

namespace LeakLab.IntegrationTests.Live;

/// <summary>
/// A live process's memory from /proc against its GC heap (<see cref="ProcMemory"/>): the split of a crafted smaps
/// text, then the real kernel on the native-memory sample (S08), read directly, with snapshots, and by <c>leaklab ps</c>.
/// </summary>
public sealed class ProcMemoryTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public void Anonymous_memory_is_split_at_the_gc_ranges_and_file_backed_memory_kept_apart()
    {
        string[] smaps =
        [
            "10000000-11000000 rw-p 00000000 00:00 0 ",
            "Size:              16384 kB", "Rss:                8192 kB", "Anonymous:          8192 kB", "Swap:                  0 kB",
            "VmFlags: rd wr mr mw me ac",
            "20000000-24000000 rw-p 00000000 00:00 0 ",
            "Rss:               20480 kB", "Anonymous:         20480 kB", "Swap:                512 kB",
            "7f0000000000-7f0000600000 r-xp 00000000 08:01 1234   /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libcoreclr.so",
            "Rss:                5120 kB", "Anonymous:             0 kB",
        ];
        string[] status = ["Name:\tdotnet", "VmHWM:\t   40000 kB", "VmRSS:\t   33792 kB"];

        // The GC range covers half of the first mapping: half its anonymous bytes count as GC heap.
        ProcessMemory m = ProcMemory.Summarise(smaps, status, [(0x1000_0000UL, 0x80_0000UL)], "eventpipe");

        Assert.Equal(33 * MB, m.ResidentBytes);
        Assert.Equal(28 * MB, m.AnonymousBytes);
        Assert.Equal(5 * MB, m.FileBackedBytes);
        Assert.Equal(512 * 1024, m.SwappedBytes);
        Assert.Equal(40000 * 1024L, m.PeakResidentBytes);
        Assert.Equal(4 * MB, m.GcHeapBytes);
        Assert.Equal(24 * MB, m.NonGcBytes);
        Assert.Equal("eventpipe", m.GcRangesFrom);

        ProcessMemory unknown = ProcMemory.Summarise(smaps, status, null, null);
        Assert.Null(unknown.GcHeapBytes);
        Assert.Null(unknown.NonGcBytes);
        Assert.Equal(28 * MB, unknown.AnonymousBytes);
    }

    [Fact]
    public void A_process_that_is_not_running_gives_one_line()
    {
        var ex = Assert.Throws<LeakLabException>(() => ProcMemory.Read(int.MaxValue));
        Assert.Equal($"process {int.MaxValue} is not running; run `leaklab ps` to list .NET processes", ex.Message);
    }

    /// <summary>
    /// S08 allocates 128 KB of native memory per channel, 200 channels a second, up to 256 MB: two snapshots 4 s apart
    /// see the memory beside the GC heap grow by tens of MB while the GC heap barely moves, and the inspection says so.
    /// </summary>
    [Fact]
    public async Task Native_memory_of_a_live_process_grows_beside_a_flat_gc_heap_and_S08_names_it()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("native-handles", "--payload", (128 * 1024).ToString());

        ProcessMemory direct = ProcMemory.Read(sample.Pid);
        Assert.Equal("runtime", direct.GcRangesFrom);
        Assert.True(direct.GcHeapBytes > 0 && direct.NonGcBytes > 0, direct.ToString());
        Assert.True(direct.ResidentBytes >= direct.AnonymousBytes + direct.FileBackedBytes - 1, direct.ToString());

        HeapGraph first = HeapSnapshotCapture.Capture(sample.Pid);
        await Task.Delay(TimeSpan.FromSeconds(4));
        HeapGraph last = HeapSnapshotCapture.Capture(sample.Pid);
        ProcessMemory before = first.Info.ProcessMemory ?? throw new Xunit.Sdk.XunitException("the first snapshot has no process memory");
        ProcessMemory after = last.Info.ProcessMemory ?? throw new Xunit.Sdk.XunitException("the last snapshot has no process memory");
        Assert.Equal("eventpipe", after.GcRangesFrom);
        long nativeGrowth = after.NonGcBytes!.Value - before.NonGcBytes!.Value;
        long gcGrowth = after.GcHeapBytes!.Value - before.GcHeapBytes!.Value;
        Assert.True(nativeGrowth >= 64 * MB, $"beside the GC heap: {before.NonGcBytes:N0} then {after.NonGcBytes:N0} B");
        Assert.True(nativeGrowth > 4 * Math.Max(0, gcGrowth), $"beside the GC heap +{nativeGrowth:N0} B, GC heap +{gcGrowth:N0} B");

        InspectionReport report = Inspector.Run([new InspectionSnapshot(new HeapAnalysis(first), null), new InspectionSnapshot(new HeapAnalysis(last), null)]);
        Finding s08 = Assert.Single(report.Findings, f => f.Scenario == "S08");
        Assert.Contains(s08.Evidence, e => e.StartsWith("anonymous memory beside the GC heap (live process, /proc): ", StringComparison.Ordinal));

        CliResult ps = CliRun.InProcess("ps", "--memory", "--pid", sample.Pid.ToString(), "--json");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        using JsonDocument doc = JsonDocument.Parse(ps.Stdout);
        JsonElement memory = Assert.Single(doc.RootElement.EnumerateArray()).GetProperty("memory");
        Assert.True(memory.GetProperty("nonGcBytes").GetInt64() >= after.NonGcBytes - 16 * MB, memory.ToString());
        Assert.True(memory.GetProperty("residentBytes").GetInt64() > memory.GetProperty("gcHeapBytes").GetInt64());
    }
}
