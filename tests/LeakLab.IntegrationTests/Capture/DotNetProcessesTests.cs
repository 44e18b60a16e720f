using System.Diagnostics;
using System.Text.RegularExpressions;
using LeakLab.IntegrationTests.Cli;
using Xunit;

namespace LeakLab.IntegrationTests.Capture;

/// <summary>Process discovery against real processes: the sample program, this test host, and a non-.NET `sleep`.</summary>
public sealed class DotNetProcessesTests
{
    [Fact]
    public async Task List_contains_a_started_sample_with_its_name_and_command_line()
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");

        DotNetProcessInfo info = Assert.Single(DotNetProcesses.List(), p => p.Pid == sample.Pid);

        Assert.Equal("LeakLab.Sample", info.Name);
        Assert.Contains($"{SampleProcess.SampleDllPath} control --rate 0", info.CommandLine);
        Assert.NotNull(info.StartTime);
        // Boot time has one-second resolution and a VM's clock may be adjusted; a wrong tick unit would be off by hours.
        Assert.InRange(info.StartTime!.Value, started.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_killed_process_leaves_no_socket_or_debugger_pipes_behind()
    {
        SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        int pid = sample.Pid;
        string[] Leftovers() => [.. Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*"),
            .. Directory.GetFiles(Path.GetTempPath(), $"clr-debug-pipe-{pid}-*")];
        Assert.NotEmpty(Leftovers()); // the runtime made them; a kill (what dispose does) never lets it remove them
        Assert.Equal(0, DotNetProcesses.RemoveLeftovers(pid)); // a running process keeps its files

        await sample.DisposeAsync();

        Assert.Empty(Leftovers());
    }

    [Fact]
    public void List_includes_this_test_host_unless_excluded()
    {
        Assert.Contains(DotNetProcesses.List(), p => p.Pid == Environment.ProcessId);
        Assert.DoesNotContain(DotNetProcesses.List(excludeSelf: true), p => p.Pid == Environment.ProcessId);
    }

    [Fact]
    public void List_leaves_out_processes_that_are_not_dotnet()
    {
        using Process sleep = StartSleep();
        try
        {
            Assert.DoesNotContain(DotNetProcesses.List(), p => p.Pid == sleep.Id);
        }
        finally
        {
            Kill(sleep);
        }
    }

    [Fact]
    public async Task List_skips_a_stale_socket_whose_pid_is_not_dotnet()
    {
        // A runtime killed with SIGKILL leaves its socket behind; if the pid is then reused, the name must not fool us.
        using Process sleep = StartSleep();
        string stale = Path.Combine("/tmp", $"dotnet-diagnostic-{sleep.Id}-12345-socket");
        try
        {
            await File.WriteAllTextAsync(stale, "");
            Assert.DoesNotContain(DotNetProcesses.List(), p => p.Pid == sleep.Id);
            var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sleep.Id, Path.Combine(Path.GetTempPath(), "never.dmp")));
            Assert.Equal(LeakLabErrorKind.NoRuntime, ex.Kind);
        }
        finally
        {
            File.Delete(stale);
            Kill(sleep);
        }
    }

    [Fact]
    public async Task FindByName_finds_the_one_process_with_a_unique_dll_name()
    {
        // Other tests (and other developers' runs) may have LeakLab.Sample processes alive, so use a renamed copy.
        using var copy = new TempFolder("leaklab-renamed");
        string unique = $"LeakLabProbe{Guid.NewGuid():N}"[..24];
        string dll = copy.File(unique + ".dll");
        File.Copy(SampleProcess.SampleDllPath, dll);
        File.Copy(Path.ChangeExtension(SampleProcess.SampleDllPath, ".runtimeconfig.json"), copy.File(unique + ".runtimeconfig.json"));
        await using SampleProcess sample = await SampleProcess.StartFromAsync(dll, "control", "--rate", "0");

        Assert.Equal(sample.Pid, DotNetProcesses.FindByName(unique).Pid);
        Assert.Equal(sample.Pid, DotNetProcesses.FindByName(unique.ToUpperInvariant() + ".dll").Pid);
        Assert.Equal(unique, DotNetProcesses.FindByName(unique).Name);
    }

    [Fact]
    public async Task FindByName_lists_the_pids_when_several_processes_match()
    {
        await using SampleProcess a = await SampleProcess.StartAsync("control", "--rate", "0");
        await using SampleProcess b = await SampleProcess.StartAsync("control", "--rate", "0");

        var ex = Assert.Throws<LeakLabException>(() => DotNetProcesses.FindByName("leaklab.sample"));

        Assert.Equal(LeakLabErrorKind.BadArgument, ex.Kind);
        // The sentence, then one line per candidate with what tells them apart: start time and command line, cut
        // from the left so the scenario arguments stay visible.
        string[] lines = ex.Message.Split('\n');
        Assert.EndsWith("pick one by pid (--pid N):", lines[0]);
        foreach (int pid in new[] { a.Pid, b.Pid })
            Assert.Contains(lines[1..], l => Regex.IsMatch(l,
                $@"^  pid {pid}, started \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC: \S*\.dll control --rate 0 --parent-pid \d+$") && l.Length <= 100);

        // The CLI's dump refuses the same way (a notebook's #!leaklab dump --name goes through the same FindByName,
        // unless exactly one match is a sample its own session started: that one is meant, as documented).
        CliResult cli = CliRun.InProcess("dump", "--name", "leaklab.sample", "-o", Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.dmp"));
        CliRun.AssertOneLineError(cli, exitCode: 1, contains: "match 'leaklab.sample'");
        string[] stderr = cli.Stderr.Split('\n');
        foreach (int pid in new[] { a.Pid, b.Pid })
            Assert.Contains(stderr, l => Regex.IsMatch(l, $@"^  pid {pid}, started .* UTC: \S*\.dll control --rate 0 --parent-pid \d+$"));
    }

    [Fact]
    public void FindByName_says_what_to_do_when_nothing_matches()
    {
        var ex = Assert.Throws<LeakLabException>(() => DotNetProcesses.FindByName("no-such-app-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(LeakLabErrorKind.ProcessGone, ex.Kind);
    }

    internal static Process StartSleep()
    {
        var psi = new ProcessStartInfo("sleep", "30") { UseShellExecute = false };
        Process p = Process.Start(psi)!;
        ChildProcessGuard.Register(p);
        return p;
    }

    internal static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
                p.Kill();
            p.WaitForExit(5000);
            DotNetProcesses.RemoveLeftovers(p.Id); // a killed runtime leaves its socket and debugger pipes in /tmp
        }
        catch (InvalidOperationException) { }
        ChildProcessGuard.Unregister(p);
    }
}
