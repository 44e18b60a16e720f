using LeakLab.IntegrationTests.Cli;

namespace LeakLab.IntegrationTests.Inspections;

/// <summary><c>leaklab demo SCENARIO --fixed</c>: the corrected variant of a scenario runs and the inspections find it clean.</summary>
public sealed class DemoScenarioTests
{
    [Fact]
    public void Fixed_demo_of_a_scenario_shows_it_clean()
    {
        CliResult result = CliRun.InProcess("demo", "linked-cts", "--fixed", "--interval", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("LeakLab demo: scenario 'linked-cts --fixed', 3 snapshots", result.Stdout);
        Assert.Contains("Inspections: no leak found (15 inspections over 3 snapshots)", result.Stdout);
        Assert.DoesNotContain("Finding:", result.Stdout);
        // The contrast table lists only types whose bytes changed: a row with ΔBytes 0 contrasts with nothing.
        if (result.Stdout.Contains("no type's bytes changed", StringComparison.Ordinal))
            return;
        string[] lines = result.Stdout.Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("Count per snapshot", StringComparison.Ordinal));
        Assert.True(header > 0 && lines[header - 1].Contains("for contrast", StringComparison.Ordinal), result.ToString());
        string[] rows = [.. lines.Skip(header + 2).TakeWhile(l => l.Trim().Length > 0)];
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.NotEqual("0", System.Text.RegularExpressions.Regex.Split(r.Trim(), @"\s{2,}")[1]));
    }

    [Fact]
    public void Demo_rejects_an_unknown_scenario_and_lists_the_valid_ones()
    {
        CliResult result = CliRun.InProcess("demo", "no-such-leak");
        CliRun.AssertOneLineError(result, exitCode: 2, contains: "no-such-leak");
        Assert.True(result.StderrLines.Length > 1, result.ToString()); // the list of scenarios is long: it wraps at 100 columns
    }
}
