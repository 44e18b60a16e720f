using System.Diagnostics;
using LeakLab.IntegrationTests.Capture;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>Every kind of bad input ends in one line on stderr, a non-zero exit code and no stack trace.</summary>
public sealed class BadInputCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("stats")]
    [InlineData("roots")]
    [InlineData("retained")]
    [InlineData("bench load")]
    public void Missing_file(string command) =>
        CliRun.AssertOneLineError(CliRun.InProcess([.. command.Split(' '), _folder.File("nope.dmp")]), 1, "does not exist");

    [Fact]
    public void An_error_is_wrapped_once_at_a_narrow_width()
    {
        // At --width 60 the message is wrapped at 60, not wrapped at 100 and then broken again (a ragged short line).
        CliResult result = CliRun.InProcess("stats", _folder.File("nope-with-a-long-name-to-wrap.dmp"), "--width", "60");
        CliRun.AssertOneLineError(result, 1, "does not exist");
        string[] lines = result.Stderr.TrimEnd('\n').Split('\n');
        string message = string.Join(' ', lines.Select(l => l.Trim()));
        Assert.Equal(TextReportOptions.Wrap(message, 60, "", "  ").TrimEnd('\n'), result.Stderr.TrimEnd('\n'));
        Assert.True(lines.Length > 1, result.Stderr);
    }

    [Fact]
    public void Missing_file_for_paths_and_diff()
    {
        CliRun.AssertOneLineError(CliRun.InProcess("paths", _folder.File("nope.dmp"), "--type", "X"), 1, "does not exist");
        string real = _folder.File("a.txt");
        File.WriteAllText(real, "x");
        CliRun.AssertOneLineError(CliRun.InProcess("diff", _folder.File("nope.dmp"), real), 1, "does not exist");
    }

    [Fact]
    public void Usage_errors_name_the_unknown_word_and_the_option_with_a_bad_number()
    {
        CliRun.AssertOneLineError(CliRun.InProcess("frobnicate"), 2, "'frobnicate'");
        CliResult badTop = CliRun.InProcess("stats", _folder.File("x.dmp"), "--top", "many");
        CliRun.AssertOneLineError(badTop, 2, "--top needs a whole number, got 'many'");
        Assert.DoesNotContain("Nullable", badTop.Stderr);
    }

    [Fact]
    public void A_mistyped_command_or_scenario_gets_a_guess_or_the_list_in_house_words()
    {
        CliRun.AssertOneLineError(CliRun.InProcess("statz", _folder.File("c.dmp")), 2,
            "'statz' is not a leaklab command; did you mean 'stats'?");
        CliRun.AssertOneLineError(CliRun.InProcess("frobnicate"), 2, "'frobnicate' is not a leaklab command (see");
        CliResult nosuch = CliRun.InProcess("demo", "nosuch");
        CliRun.AssertOneLineError(nosuch, 2, "'nosuch' is not a scenario; choose one of: static-cache, ");
        Assert.DoesNotContain("not recognized", nosuch.Stderr);
        CliRun.AssertOneLineError(CliRun.InProcess("demo", "static-cahce"), 2, "'static-cahce' is not a scenario; did you mean 'static-cache'?");
    }

    [Fact]
    public void A_text_file_is_not_a_dump()
    {
        string text = _folder.File("notes.dmp");
        File.WriteAllText(text, "this is a log file, not a dump\n");
        CliRun.AssertOneLineError(CliRun.InProcess("stats", text), 1, "not a dump or snapshot");
        CliRun.AssertOneLineError(CliRun.InProcess("paths", text, "--type", "System.String", "--json"), 1, "not a dump or snapshot");
    }

    [Fact]
    public void An_empty_file_and_a_folder_are_rejected()
    {
        string empty = _folder.File("empty.dmp");
        File.WriteAllBytes(empty, []);
        CliRun.AssertOneLineError(CliRun.InProcess("stats", empty), 1, "empty");
        CliRun.AssertOneLineError(CliRun.InProcess("roots", _folder.Path), 1, "folder");
    }

    [Fact]
    public void An_elf_header_cut_short_is_truncated()
    {
        string cut = _folder.File("cut.dmp");
        File.WriteAllBytes(cut, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        CliRun.AssertOneLineError(CliRun.InProcess("stats", cut), 1, "truncated");
    }

    [Fact]
    public async Task Dump_of_a_dead_process()
    {
        using Process gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        CliRun.AssertOneLineError(CliRun.InProcess("dump", "--pid", gone.Id.ToString(), "-o", _folder.File("x.dmp")), 1);
        Assert.False(File.Exists(_folder.File("x.dmp")));
    }

    [Fact]
    public async Task Ps_of_a_dead_or_non_dotnet_pid_answers_as_dump_does()
    {
        using Process gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        CliRun.AssertOneLineError(CliRun.InProcess("ps", "--pid", gone.Id.ToString()), 1, "is not running");
        using Process sleep = DotNetProcessesTests.StartSleep();
        try
        {
            CliResult notDotNet = CliRun.InProcess("ps", "--memory", "--pid", sleep.Id.ToString());
            CliRun.AssertOneLineError(notDotNet, 1, "is not a .NET process");
            Assert.DoesNotContain("--help", notDotNet.Stderr); // not a usage error
        }
        finally
        {
            DotNetProcessesTests.Kill(sleep);
        }
    }

    [Fact]
    public void A_missing_command_lists_the_commands_once() =>
        CliRun.AssertOneLineError(CliRun.InProcess("sample"), 2, "'leaklab sample' needs a command, one of: start");

    [Fact]
    public void Dump_of_an_unknown_name() =>
        CliRun.AssertOneLineError(CliRun.InProcess("dump", "--name", "no-such-program-" + Guid.NewGuid().ToString("N")), 1);

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("stats", "a.dmp", "--bogus")]
    [InlineData("stats")]
    [InlineData("stats", "a.dmp", "--top", "many")]
    [InlineData("stats", "a.dmp", "--top", "0")]
    [InlineData("paths", "a.dmp")]
    [InlineData("paths", "a.dmp", "--type", "T", "--address", "0x10")]
    [InlineData("paths", "a.dmp", "--address", "0xZZ")]
    [InlineData("roots", "a.dmp", "--kind", "sideways")]
    [InlineData("diff", "a.dmp")]
    [InlineData("diff", "a.dmp", "b.dmp", "./a.dmp")]
    [InlineData("dump")]
    [InlineData("dump", "--pid", "1", "--name", "x")]
    [InlineData("dump", "--pid", "1", "--timeout", "0")]
    [InlineData("snapshot")]
    [InlineData("snapshot", "--pid", "1", "--name", "x")]
    [InlineData("snapshot", "--pid", "1", "--timeout", "0")]
    [InlineData("run")]
    [InlineData("demo", "no-such-scenario")]
    [InlineData("demo", "--interval", "0")]
    public void Usage_errors_exit_with_2(params string[] args)
    {
        // Usage is checked before any file is read, so a.dmp need not exist.
        CliRun.AssertOneLineError(CliRun.InProcess(args), 2);
    }

    [Fact]
    public void Help_lists_every_command_and_exits_0()
    {
        CliResult result = CliRun.InProcess("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "ps", "dump", "snapshot", "stats", "paths", "roots", "retained", "diff", "demo", "run", "bench" })
            Assert.Contains("  " + command, result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_and_nothing_else_does()
    {
        // A valid ELF core header with no segments: past the CLI's checks, the loader rejects it.
        string dump = _folder.File("fake.dmp");
        File.WriteAllBytes(dump, FakeElfCore());
        CliRun.AssertOneLineError(CliRun.InProcess("stats", dump), 1);

        CliResult verbose = CliRun.InProcess("stats", dump, "--verbose");
        Assert.Equal(1, verbose.ExitCode);
        Assert.StartsWith("leaklab: error: ", verbose.StderrLines[0]);
        Assert.Contains("   at ", verbose.Stderr);
    }

    [Fact]
    public async Task Errors_from_the_real_process_are_one_line_too()
    {
        CliResult result = await CliRun.AsProcessAsync(TimeSpan.FromMinutes(1), "stats", _folder.File("nope.dmp"));
        CliRun.AssertOneLineError(result, 1, "does not exist");
        CliResult usage = await CliRun.AsProcessAsync(TimeSpan.FromMinutes(1), "frobnicate");
        CliRun.AssertOneLineError(usage, 2);
    }

    /// <summary>A 64-bit little-endian ELF core header with no program headers: it passes the header check, then the loader finds no runtime.</summary>
    private static byte[] FakeElfCore()
    {
        var bytes = new byte[4096];
        bytes[0] = 0x7f; bytes[1] = (byte)'E'; bytes[2] = (byte)'L'; bytes[3] = (byte)'F';
        bytes[4] = 2; bytes[5] = 1; bytes[6] = 1;
        bytes[0x10] = 4;            // ET_CORE
        bytes[0x12] = 0x3e;         // EM_X86_64
        bytes[0x14] = 1;            // EV_CURRENT
        bytes[0x20] = 64;           // e_phoff
        bytes[0x34] = 64;           // e_ehsize
        bytes[0x36] = 56;           // e_phentsize
        return bytes;               // e_phnum = 0
    }
}
