using System.Diagnostics;
using Xunit;

namespace LeakLab.IntegrationTests.Capture;

/// <summary>The sample program's command-line contract, which the CLI's demo, notebooks and other tests rely on.</summary>
public sealed class SampleProgramTests
{
    [Theory]
    [InlineData("static-cache")]
    [InlineData("event-handlers")]
    [InlineData("control")]
    public async Task Each_scenario_prints_exactly_one_READY_line_and_nothing_else_on_stdout(string scenario)
    {
        await using SampleProcess sample = await SampleProcess.StartAsync(scenario, "--rate", "1000", "--payload", "64");
        await Task.Delay(300);

        string line = Assert.Single(sample.StandardOutputLines);
        Assert.Equal($"LEAKLAB-READY {{\"pid\":{sample.Pid},\"scenario\":\"{scenario}\"}}", line);
        Assert.False(sample.Process.HasExited, $"the sample exited: {sample.StandardError}");
    }

    [Theory]
    [InlineData(new[] { "no-such-scenario" }, "unknown scenario 'no-such-scenario'; valid scenarios: static-cache, event-handlers, control")]
    [InlineData(new[] { "control", "--bogus", "1" }, "unknown option '--bogus'")]
    [InlineData(new[] { "control", "--rate", "fast" }, "option --rate needs a number, got 'fast'")]
    [InlineData(new[] { "control", "--payload", "-1" }, "option --payload must be between")]
    [InlineData(new string[0], "missing scenario; valid scenarios: static-cache, event-handlers, control")]
    public async Task Bad_arguments_exit_2_with_one_line_on_stderr(string[] args, string expected)
    {
        var psi = new ProcessStartInfo(SampleProcess.DotNetHostPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(SampleProcess.SampleDllPath);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        ChildProcessGuard.Register(p);
        try
        {
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(cts.Token);

            Assert.Equal(2, p.ExitCode);
            Assert.Equal("", await stdout);
            string error = (await stderr).TrimEnd('\n');
            Assert.DoesNotContain('\n', error);
            Assert.StartsWith("error: ", error);
            Assert.Contains(expected, error);
        }
        finally
        {
            DotNetProcessesTests.Kill(p);
        }
    }

    [Fact]
    public async Task A_failed_start_reports_the_samples_stderr()
    {
        var ex = await Assert.ThrowsAsync<LeakLabException>(() => SampleProcess.StartAsync("no-such-scenario"));
        Assert.Contains("exit code 2", ex.Message);
        Assert.Contains("unknown scenario 'no-such-scenario'", ex.Message);
    }

    [Fact]
    public async Task The_sample_exits_when_its_parent_process_is_gone()
    {
        // What keeps a killed test run from leaving leaking samples behind: SampleProcess passes --parent-pid.
        using Process parent = DotNetProcessesTests.StartSleep();
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0", "--parent-pid", parent.Id.ToString());
        Assert.False(sample.Process.HasExited);

        DotNetProcessesTests.Kill(parent);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await sample.Process.WaitForExitAsync(cts.Token);
        Assert.Equal(3, sample.Process.ExitCode);
        Assert.Contains($"parent process {parent.Id} is gone", sample.StandardError);
    }
}
