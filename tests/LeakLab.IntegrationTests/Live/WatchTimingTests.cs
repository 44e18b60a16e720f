using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeakLab.IntegrationTests.Cli;

namespace LeakLab.IntegrationTests.Live;

/// <summary><c>leaklab watch</c> keeps to its duration however long its snapshots take, and its progress line fits a real terminal.</summary>
public sealed partial class WatchTimingTests
{
    [Fact]
    public async Task A_watch_whose_snapshots_take_seconds_still_ends_on_time()
    {
        // Half a million objects: each snapshot takes a second or more, so ending late by the last one shows.
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0", "--ballast", "500000");
        using var folder = new TempFolder("leaklab-watch");
        const int duration = 12;

        CliResult result = CliRun.InProcess("watch", "--pid", sample.Pid.ToString(CultureInfo.InvariantCulture), "--duration", duration.ToString(CultureInfo.InvariantCulture),
            "--snapshots", "3", "--out", folder.File("out"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument summary = JsonDocument.Parse(result.Stdout);
        JsonElement[] snapshots = [.. summary.RootElement.GetProperty("snapshotFiles").EnumerateArray()];
        Assert.Equal(3, snapshots.Length);
        double watched = summary.RootElement.GetProperty("seconds").GetDouble();
        if (result.StderrJoined.Contains("the watch runs about", StringComparison.Ordinal))
            return; // a snapshot took over a third of the duration (a very busy machine): the watch said so, as documented
        // Started at the end, the last snapshot would end the watch at least its own time late; started early, it ends on time.
        double last = snapshots[^1].GetProperty("elapsedMs").GetDouble() / 1000;
        Assert.True(watched - duration < last, $"watched {watched:0.00} s for --duration {duration}, the last snapshot took {last:0.00} s\n{result}");
    }

    [Fact]
    public async Task The_progress_line_fits_a_narrow_terminal_in_binary_units()
    {
        const int columns = 72;
        string script = "/usr/bin/script";
        Assert.True(File.Exists(script), "this test runs watch in a pseudo-terminal with script(1), from util-linux (Debian: bsdutils)");
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "500");
        using var folder = new TempFolder("leaklab-watch");
        string command = string.Join(' ', "stty cols", columns.ToString(CultureInfo.InvariantCulture), ";", Quote(SampleProcess.DotNetHostPath), Quote(CliRun.LeakLabDll),
            "watch --pid", sample.Pid.ToString(CultureInfo.InvariantCulture), "--duration 5 --snapshots 1 --out", Quote(folder.File("out")));
        var psi = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-qfec", command, "/dev/null" })
            psi.ArgumentList.Add(a);

        CliResult result = await CliRun.RunAsync(psi, TimeSpan.FromSeconds(90), "leaklab watch in a pseudo-terminal");

        Assert.True(result.ExitCode == 0, result.ToString());
        // Each redraw is "\r\e[K" and the line: the frames are the pieces between carriage returns that show the status.
        // Escape sequences take no column: the console's own mode switches (keypad "\e[?1h\e=" at exit) are dropped too.
        string[] frames = [.. TerminalEscapes().Replace(result.Stdout, "").Split('\r', '\n')
            .Where(f => f.StartsWith($"watching process {sample.Pid} ... ", StringComparison.Ordinal) && f.Contains(" s, heap ", StringComparison.Ordinal))];
        Assert.True(frames.Length > 3, result.ToString());
        Assert.All(frames, f =>
        {
            Assert.True(f.Length < columns, $"{f.Length} columns: {f}");
            Assert.False(f.EndsWith('…'), $"cut: {f}");
            Assert.DoesNotContain(" MB", f, StringComparison.Ordinal); // the counters' decimal MB, beside MiB elsewhere
            Assert.Contains("snapshots ", f, StringComparison.Ordinal);
        });
    }

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[ -/]*[@-~]|[=>])")]
    private static partial Regex TerminalEscapes();

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
