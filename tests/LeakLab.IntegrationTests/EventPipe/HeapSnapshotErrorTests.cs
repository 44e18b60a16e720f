using System.Diagnostics;

namespace LeakLab.IntegrationTests.EventPipe;

/// <summary>Every way a snapshot can fail ends in a one-line <see cref="LeakLabException"/> that says what to do.</summary>
public sealed class HeapSnapshotErrorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void An_invalid_pid_is_named(int pid)
    {
        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotCapture.Capture(pid));
        Assert.Equal(LeakLabErrorKind.BadArgument, ex.Kind);
    }

    [Fact]
    public async Task A_process_that_exited_is_not_running()
    {
        int pid;
        await using (SampleProcess sample = await SampleProcess.StartAsync("control"))
            pid = sample.Pid;

        var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotCapture.Capture(pid));
        Assert.Equal(LeakLabErrorKind.ProcessGone, ex.Kind);
    }

    [Fact]
    public void A_native_process_is_not_a_dotnet_process()
    {
        using Process sleep = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotCapture.Capture(sleep.Id));
            Assert.Equal(LeakLabErrorKind.NoRuntime, ex.Kind);
            AssertOneLine(ex);
        }
        finally
        {
            sleep.Kill();
        }
    }

    [Fact]
    public async Task A_stopped_process_is_asked_to_be_resumed()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control");
        Signal("STOP", sample.Pid);
        try
        {
            await WaitForState(sample.Pid, 'T');
            var ex = Assert.Throws<LeakLabException>(() => HeapSnapshotCapture.Capture(sample.Pid));
            Assert.Equal(LeakLabErrorKind.ProcessUnreachable, ex.Kind);
            Assert.Contains($"kill -CONT {sample.Pid}", ex.Message); // the one thing to do
        }
        finally
        {
            Signal("CONT", sample.Pid);
        }
    }

    [Fact]
    public async Task A_snapshot_that_runs_out_of_time_says_so_and_the_next_one_works()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "200");

        var ex = Assert.Throws<LeakLabException>(() =>
            HeapSnapshotCapture.Capture(sample.Pid, new HeapSnapshotOptions { Timeout = TimeSpan.FromMilliseconds(1) }));
        Assert.Equal(LeakLabErrorKind.ProcessUnreachable, ex.Kind);
        AssertOneLine(ex);

        // The abandoned session must leave the target healthy and ready for another one.
        HeapGraph graph = await Task.Run(() => HeapSnapshotCapture.Capture(sample.Pid));
        Assert.Contains(graph.Roots, r => r.Name == StaticCacheSnapshotFixture.CacheField);
        Assert.False(sample.Process.HasExited);
    }

    [Fact]
    public async Task Cancelling_throws_OperationCanceledException()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            HeapSnapshotCapture.Capture(sample.Pid, new HeapSnapshotOptions { CancellationToken = cts.Token }));
    }

    [Fact]
    public void A_timeout_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeapSnapshotOptions { Timeout = TimeSpan.Zero });
    }

    private static void AssertOneLine(Exception ex) => Assert.DoesNotContain('\n', ex.Message);

    internal static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    internal static async Task WaitForState(int pid, char state)
    {
        for (int i = 0; i < 50; i++)
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith(state))
                return;
            await Task.Delay(20);
        }
        Assert.Fail($"process {pid} never reached state {state}");
    }
}
