namespace LeakLab.IntegrationTests.Capture;

/// <summary>
/// The one sample starter (<see cref="Engine.Samples.SampleProcess"/>) as notebooks use it: started and found by name, stopped
/// with the session and its diagnostic socket removed; a sample that fails says why in one line.
/// </summary>
public sealed class SampleStarterTests
{
    [Fact]
    public async Task A_notebook_session_starts_a_sample_and_stops_it_without_leftovers()
    {
        int pid;
        using (var session = new LeakLabSession())
        {
            SampleProgram sample = await session.StartSampleAsync("control", "--rate", "0");
            pid = sample.Pid;
            Assert.False(sample.HasExited);
            Assert.Equal(pid, session.FindProcess("control"));
            Assert.Contains(DotNetProcesses.List(), p => p.Pid == pid);
        }
        Assert.DoesNotContain(DotNetProcesses.List(), p => p.Pid == pid);
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*"));
    }

    [Fact]
    public async Task FindProcess_answers_with_the_sessions_own_sample_never_another_hosts()
    {
        // Another host's sample of the same name (as when Jupyter and `leaklab run` run one notebook at once).
        await using SampleProcess stranger = await SampleProcess.StartAsync("control", "--rate", "0");
        using var session = new LeakLabSession();
        SampleProgram first = await session.StartSampleAsync("control", "--rate", "0");
        Assert.Equal(first.Pid, session.FindProcess("LeakLab.Sample"));
        Assert.Equal(first.Pid, session.FindProcess("LeakLab.Sample.dll"));
        Assert.Equal(first.Pid, session.FindProcess("control"));

        SampleProgram second = await session.StartSampleAsync("control", "--fixed", "--rate", "0");
        Assert.Equal(LeakLabErrorKind.BadArgument, Assert.Throws<LeakLabException>(() => session.FindProcess("LeakLab.Sample")).Kind);

        first.Dispose();
        Assert.Equal(second.Pid, session.FindProcess("LeakLab.Sample"));

        // Once its own samples are gone, the name does not fall through to the stranger.
        second.Dispose();
        Assert.Equal(LeakLabErrorKind.ProcessGone, Assert.Throws<LeakLabException>(() => session.FindProcess("LeakLab.Sample")).Kind);
        Assert.False(stranger.Process.HasExited);
    }

    [Fact]
    public async Task A_sample_that_cannot_start_fails_with_its_own_error_in_one_line()
    {
        using var session = new LeakLabSession();
        var error = await Assert.ThrowsAsync<LeakLabException>(() => session.StartSampleAsync("no-such-scenario"));
        Assert.Contains("failed to start (exit code 2)", error.Message);
        Assert.Contains("unknown scenario 'no-such-scenario'", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(session.Samples);
    }
}
