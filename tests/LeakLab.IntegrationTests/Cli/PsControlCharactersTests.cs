namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// Issue 8, item 7: a process's command line is untrusted text. One that carries terminal escapes (retitle, clear
/// screen) and a newline is shown escaped by <c>leaklab ps</c>, on one row, and kept as it is in JSON.
/// </summary>
public sealed class PsControlCharactersTests
{
    private const string Evil = "\u001b]0;PWNED\u0007\u001b[2J";

    [Fact]
    public async Task Ps_shows_control_characters_of_a_command_line_escaped_on_one_row()
    {
        await using SampleProcess target = await SampleProcess.StartTargetAsync("statics", Evil, "line\nbreak");
        CliResult text = CliRun.InProcess("ps", "--pid", target.Pid.ToString(), "--width", "400");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.DoesNotContain('\u001b', text.Stdout);
        Assert.DoesNotContain('\u0007', text.Stdout);
        string row = Assert.Single(text.Stdout.Split('\n'), l => l.Contains("PWNED", StringComparison.Ordinal));
        Assert.Contains(@"statics \x1b]0;PWNED\x07\x1b[2J line\nbreak", row);

        CliResult json = CliRun.InProcess("ps", "--pid", target.Pid.ToString(), "--json");
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Contains($"statics {Evil} line\nbreak", doc.RootElement[0].GetProperty("commandLine").GetString());
    }
}
