using System.Diagnostics;
using LeakLab.IntegrationTests.EventPipe;
using Xunit;

namespace LeakLab.IntegrationTests.Capture;

/// <summary>
/// A DAC call on a live process that never returns must not hang LeakLab (issue 11: a notebook's dump cell hung behind
/// a static-slot read that ClrMD never finished, since the DAC takes one process-wide lock around every call).
/// </summary>
/// <remarks>
/// No test here holds a DAC call stuck in the test process itself: a first version did (and failed on the old code),
/// but the DAC keeps process-wide state, and a second DAC user for another process beside a stuck one later crashed
/// the test host (a segfault inside libmscordaccore.so). That is the hazard LeakLab.DacReader takes out of LeakLab's
/// processes; these tests stop the reader process instead.
/// </remarks>
public sealed class StuckDacTests
{
    private const string NoOwners = "could not read the declaring types of static fields";

    [Fact]
    public async Task A_reader_that_stops_answering_is_killed_and_the_snapshot_keeps_field_names()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "0");
        using var done = new CancellationTokenSource();
        // Freezes the reader as soon as it starts: the DAC call that never returns, as the reader sees it.
        Task<int> freezer = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                if (ReaderChildren().FirstOrDefault() is int pid and > 0)
                {
                    HeapSnapshotErrorTests.Signal("STOP", pid);
                    return pid;
                }
                await Task.Delay(10);
            }
            return 0;
        });
        var progress = new List<string>();
        var clock = Stopwatch.StartNew();
        HeapGraph graph;
        try
        {
            graph = HeapSnapshotCapture.Capture(sample.Pid, new HeapSnapshotOptions { Progress = new SyncProgress(progress) });
        }
        finally
        {
            done.Cancel();
        }
        clock.Stop();
        int frozen = await freezer;

        Assert.True(frozen > 0, "the snapshot should have started a reader process");
        // The snapshot waits 10 s for the reader, then kills it and keeps the field names: said once.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(25));
        Assert.Single(progress, p => p.Contains(NoOwners, StringComparison.Ordinal));
        Assert.Contains(graph.Roots, r => r.Kind == RootKind.StaticField && r.Name.StartsWith("Entries (static field of an unknown type", StringComparison.Ordinal));
        Assert.False(Directory.Exists($"/proc/{frozen}"), $"reader {frozen} should be killed and reaped");
        Assert.Empty(ReaderChildren());
    }

    [Fact]
    public async Task A_dump_check_that_overruns_its_time_is_stopped_and_the_dump_kept()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        DumpResult dump = DumpCapture.Write(sample.Pid, Path.Combine(sample.Folder, "kept.dmp"));
        var ticks = new List<TimeSpan>();

        // No reader opens a dump in 1 ms: the check gives up at once and kills its reader.
        Assert.Equal(DumpHeapCheck.Outcome.TimedOut, DumpHeapCheck.Check(dump.Path, TimeSpan.FromMilliseconds(1), ticks.Add));

        Assert.True(File.Exists(dump.Path));
        Assert.Empty(ReaderChildren());
        // Given its time, the same check answers.
        Assert.Equal(DumpHeapCheck.Outcome.Walkable, DumpHeapCheck.Check(dump.Path, TimeSpan.FromSeconds(60), ticks.Add));
    }

    /// <summary>LeakLab.DacReader processes this process started that still exist.</summary>
    private static List<int> ReaderChildren()
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("LeakLab.DacReader.dll", StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (IOException) { } // gone meanwhile
        }
        return found;
    }

    /// <summary>Progress told synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
                lines.Add(value);
        }
    }
}
