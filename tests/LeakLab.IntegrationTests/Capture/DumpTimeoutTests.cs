using System.Diagnostics;
using LeakLab.IntegrationTests.EventPipe;
using Xunit;

namespace LeakLab.IntegrationTests.Capture;

/// <summary>A dump that does not finish in time fails with one line, leaves no file behind, and leaves the process as it was.</summary>
public sealed class DumpTimeoutTests
{
    [Fact]
    public async Task A_dump_of_a_frozen_process_gives_up_at_the_deadline_with_progress_and_no_file()
    {
        // A stopped runtime never reads the request: the wait that used to hang forever. Write refuses a process it sees
        // stopped, so this freezes it after that check, as a debugger or a stuck createdump would.
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        string path = Path.Combine(sample.Folder, "frozen.dmp");
        HeapSnapshotErrorTests.Signal("STOP", sample.Pid);
        try
        {
            await HeapSnapshotErrorTests.WaitForState(sample.Pid, 'T');
            var ticks = new List<TimeSpan>();
            var clock = Stopwatch.StartNew();

            var ex = Assert.Throws<LeakLabException>(() =>
                DumpCapture.Request(sample.Pid, path, DumpCaptureKind.WithHeap, TimeSpan.FromSeconds(2.5), ticks.Add, CancellationToken.None));

            Assert.Equal(LeakLabErrorKind.ProcessUnreachable, ex.Kind);
            Assert.DoesNotContain('\n', ex.Message);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(20));
            Assert.NotEmpty(ticks); // about once a second while it waited
            Assert.All(ticks, t => Assert.True(t < clock.Elapsed));
            Assert.False(File.Exists(path));
            // It was stopped before we came: it stays stopped (resuming is the user's call).
            await HeapSnapshotErrorTests.WaitForState(sample.Pid, 'T');
        }
        finally
        {
            // SIGKILL ends a stopped process too; dispose does it and deletes the folder.
            HeapSnapshotErrorTests.Signal("KILL", sample.Pid);
        }
    }

    [Fact]
    public async Task A_dump_cut_short_stops_createdump_deletes_the_partial_file_and_the_process_carries_on()
    {
        // About 60 MB of live objects: createdump needs well over the deadline to copy them, even on an idle machine.
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0", "--ballast", "1000000");
        string path = Path.Combine(sample.Folder, "cut.dmp");

        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sample.Pid, path, timeout: TimeSpan.FromMilliseconds(200)));

        Assert.Equal(LeakLabErrorKind.ProcessUnreachable, ex.Kind);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("timeout", ex.Message); // says what to do: a longer timeout
        // createdump is gone, so nothing writes the file later; the process runs (not left frozen by the ptrace stop).
        await Task.Delay(1500);
        Assert.False(File.Exists(path), "the partial dump must be deleted and stay deleted");
        Assert.DoesNotContain(Process.GetProcesses(), p => p.ProcessName == "createdump" && ParentOf(p.Id) == sample.Pid);
        // createdump logs to the target's stdout: it had started, and it never finished the dump.
        Assert.Contains(sample.StandardOutputLines, l => l.Contains("[createdump]", StringComparison.Ordinal));
        Assert.DoesNotContain(sample.StandardOutputLines, l => l.Contains("successfully written", StringComparison.Ordinal));
        Assert.False(sample.Process.HasExited);
        char state = File.ReadAllText($"/proc/{sample.Pid}/stat").Split(") ")[1][0];
        Assert.True(state is not ('T' or 't'), $"the process is left in state {state}");

        // And the next dump, with the default timeout, works.
        DumpResult again = await Task.Run(() => DumpCapture.Write(sample.Pid, path));
        Assert.True(again.Bytes > 1_000_000);
        Assert.True(DumpHeapCheck.CanWalkHeap(again.Path));
    }

    [Fact]
    public async Task Cancelling_a_dump_throws_OperationCanceledException_and_leaves_no_file()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0", "--ballast", "1000000");
        string path = Path.Combine(sample.Folder, "cancelled.dmp");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.ThrowsAny<OperationCanceledException>(() => DumpCapture.Write(sample.Pid, path, cancellationToken: cancel.Token));

        await Task.Delay(1000);
        Assert.False(File.Exists(path));
        Assert.False(sample.Process.HasExited);
    }

    [Fact]
    public void The_default_timeout_grows_with_resident_memory()
    {
        Assert.Equal(DumpTimeout.Minimum, DumpTimeout.ForResident(0));
        Assert.Equal(TimeSpan.FromSeconds(160), DumpTimeout.ForResident(1000L * 1024 * 1024));
        long? ours = DumpTimeout.ResidentBytes(Environment.ProcessId);
        Assert.True(ours > 10_000_000, $"resident size of the test host: {ours}");
        Assert.True(DumpTimeout.For(Environment.ProcessId) > DumpTimeout.Minimum);
        Assert.Equal(DumpTimeout.Minimum, DumpTimeout.For(int.MaxValue)); // no such process: the minimum
    }

    [Fact]
    public async Task A_timeout_that_is_not_positive_is_refused()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sample.Pid, Path.Combine(sample.Folder, "x.dmp"), timeout: TimeSpan.Zero));
        Assert.Equal(LeakLabErrorKind.BadArgument, ex.Kind);
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
