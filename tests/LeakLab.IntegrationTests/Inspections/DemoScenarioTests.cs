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
    }

    [Fact]
    public void Demo_rejects_an_unknown_scenario_and_lists_the_valid_ones()
    {
        CliResult result = CliRun.InProcess("demo", "no-such-leak");
        CliRun.AssertOneLineError(result, exitCode: 2, contains: "no-such-leak");
        Assert.True(result.StderrLines.Length > 1, result.ToString()); // the list of scenarios is long: it wraps at 100 columns
    }
}
