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
