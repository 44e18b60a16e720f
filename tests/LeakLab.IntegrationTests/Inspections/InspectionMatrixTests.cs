using Xunit.Abstractions;
using LeakLab.IntegrationTests.Cli;
using System.Text;

namespace LeakLab.IntegrationTests.Inspections;

/// <summary>
/// The hit / false-alarm matrix: every inspection must name its own scenario (with the scenario's root) and stay
/// silent on every fixed variant and on control. The whole matrix is printed (and written to inspection-matrix.txt
/// beside the test assembly) so every hit and every extra finding on another leaking scenario is visible.
/// </summary>
public sealed class InspectionMatrixTests(InspectionMatrixFixture fixture, ITestOutputHelper output) : IClassFixture<InspectionMatrixFixture>
{
    /// <summary>What each finding must name: part of its cause, from the sample's own code (the test knows the program; the inspections do not).</summary>
    private static readonly Dictionary<string, string> s_causes = new(StringComparer.Ordinal)
    {
        ["static-cache"] = "LeakLab.Sample.OrderCache.Entries",
        ["event-handlers"] = "LeakLab.Sample.PriceFeed.PriceChanged",
        ["captured-closure"] = "LeakLab.Sample.ReportScheduler.s_shutdown",
        ["blocked-channel"] = "LeakLab.Sample.JobPipeline.s_jobs",
        ["timer"] = "LeakLab.Sample.ReportRefresher.Refresh",
        ["linked-cts"] = "LeakLab.Sample.ServerLifetime.s_stopping",
        ["blocked-workers"] = "LeakLab.Sample.BatchWorker.Process",
        ["native-handles"] = "handle → ",
        ["handle-registry"] = "LeakLab.Sample.InteropHandleRegistry.s_handles",
        ["pool"] = "LeakLab.Sample.ReportBuilderPool.s_shared",
        ["blocked-finalizer"] = "LeakLab.Sample.",
        ["undisposed"] = "LeakLab.Sample.ExportHistory.s_recent",
        ["failed-release"] = "LeakLab.Sample.LeaseTracker.s_active",
        ["async-local"] = "LeakLab.Sample.RequestContext.Current",
        ["stack-frame"] = "LeakLab.Sample.ImportWorker.RunImportLoop",
    };

    public static TheoryData<string, string> Leaks()
    {
        var data = new TheoryData<string, string>();
        foreach (var (scenario, expected) in InspectionMatrixFixture.Leaks)
            data.Add(scenario, expected);
        return data;
    }

    [Theory]
    [MemberData(nameof(Leaks))]
    public void Each_inspection_names_its_own_scenario_with_cause_evidence_and_fix(string scenario, string expected)
    {
        InspectionReport report = ReportOf(scenario);
        Finding? finding = report.Findings.FirstOrDefault(f => f.Scenario == expected);
        Assert.True(finding is not null, $"{expected} did not fire on {scenario}; findings: {Describe(report)}");
        Assert.Contains(s_causes[scenario], finding.Root.Name + " " + string.Join(" ", finding.Evidence));
        Assert.NotEmpty(finding.Root.Kind);
        Assert.True(finding.Evidence.Count >= 2, string.Join(" | ", finding.Evidence));
        Assert.Contains(finding.Evidence, e => e.Contains(" → ", StringComparison.Ordinal)); // a series or a path
        Assert.InRange(finding.Score, 0.01, 1.0);
        Assert.EndsWith(".", finding.Fix);
    }

    [Fact]
    public void Fixed_variants_and_control_have_no_finding()
    {
        foreach (string variant in InspectionMatrixFixture.Variants.Where(v => v.EndsWith(" --fixed", StringComparison.Ordinal) || v == "control"))
        {
            InspectionReport report = ReportOf(variant);
            Assert.True(report.Findings.Count == 0, $"false alarm on {variant}: {Describe(report)}");
        }
    }

    [Fact]
    public void Prints_the_whole_matrix()
    {
        string matrix = Matrix();
        output.WriteLine(matrix);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "inspection-matrix.txt"), matrix);
        Assert.Empty(fixture.Failures);
        Assert.Equal(InspectionMatrixFixture.Variants.Count(), fixture.Reports.Count);
    }

    [Fact]
    public void Cli_inspect_prints_findings_as_json_and_runtime_tables()
    {
        Assert.Equal(2, fixture.KeptDumps.Count);
        CliResult json = CliRun.InProcess(["inspect", .. fixture.KeptDumps, "--json"]);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var doc = System.Text.Json.JsonDocument.Parse(json.Stdout))
        {
            var first = doc.RootElement[0];
            Assert.Equal("S05", first.GetProperty("scenario").GetString());
            Assert.Equal("timer", first.GetProperty("root").GetProperty("kind").GetString());
            Assert.Equal("LeakLab.Sample.ReportRefresher.Refresh", first.GetProperty("root").GetProperty("name").GetString());
            Assert.True(first.GetProperty("evidence").GetArrayLength() >= 2);
            Assert.InRange(first.GetProperty("score").GetDouble(), 0.01, 1.0);
            Assert.False(string.IsNullOrEmpty(first.GetProperty("title").GetString()));
            long[] counts = [.. first.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64())];
            Assert.Equal(2, counts.Length); // one per dump, oldest first
            Assert.True(counts[1] > counts[0], string.Join(", ", counts));
        }

        CliResult tables = CliRun.InProcess("inspect", fixture.KeptDumps[^1], "--tables");
        Assert.True(tables.ExitCode == 0, tables.ToString());
        using (var doc = System.Text.Json.JsonDocument.Parse(tables.Stdout))
        {
            var t = doc.RootElement[0];
            var timer = t.GetProperty("timers").EnumerateArray().Single(r => r.GetProperty("callback").GetString() == "LeakLab.Sample.ReportRefresher.Refresh");
            Assert.Equal("LeakLab.Sample.RefreshState", timer.GetProperty("stateType").GetString());
            Assert.Equal(3_600_000, timer.GetProperty("periodMs").GetInt64());
            Assert.True(timer.GetProperty("count").GetInt64() >= 100);
            Assert.Contains(t.GetProperty("threads").EnumerateArray(), r => r.GetProperty("isFinalizer").GetBoolean());
            Assert.True(t.GetProperty("memory").GetProperty("gcCommittedBytes").GetInt64() > 0);
            Assert.True(t.GetProperty("memory").GetProperty("dumpedBytes").GetInt64() > t.GetProperty("memory").GetProperty("gcCommittedBytes").GetInt64());
            Assert.Contains(t.GetProperty("handles").EnumerateArray(), r => r.GetProperty("kind").GetString() == "strong");
        }

        CliResult text = CliRun.InProcess(["inspect", .. fixture.KeptDumps]);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("1. [S05] ", text.Stdout);
        Assert.Contains("fix: Dispose the timer", text.Stdout);

        CliResult missing = CliRun.InProcess("inspect", "/nonexistent/leaklab.dmp");
        CliRun.AssertOneLineError(missing, exitCode: 1);
    }

    private InspectionReport ReportOf(string variant)
    {
        Assert.False(fixture.Failures.TryGetValue(variant, out string? error), $"{variant} could not be run: {error}");
        return fixture.Reports[variant];
    }

    private static string Describe(InspectionReport report) =>
        report.Findings.Count == 0 ? "(none)" : string.Join("; ", report.Findings.Select(f => $"[{f.Scenario}] {f.Title} ({f.Score:0.00})"));

    /// <summary>Rows: variants; columns: inspections. ● hit on its own scenario, ○ missed, x fired elsewhere, · silent.</summary>
    private string Matrix()
    {
        string[] ids = [.. Inspector.Inspections.Select(i => i.Scenario).Distinct().Order(StringComparer.Ordinal)];
        var expected = InspectionMatrixFixture.Leaks.ToDictionary(l => l.Scenario, l => new HashSet<string> { l.Expected });
        expected["static-cache"].Add("S13"); // the sample documents static-cache as S01/S13: rejected orders skip the removal
        var text = new StringBuilder();
        text.AppendLine($"Inspection matrix ({fixture.Reports.Count} variants, two dumps each, {fixture.Elapsed.TotalSeconds:0} s): ● hit  ○ missed  x extra finding  · silent");
        text.AppendLine($"{"variant",-28} {string.Join(" ", ids.Select(i => i[1..]))}");
        int hits = 0, misses = 0, extras = 0, falseAlarms = 0;
        foreach (string variant in InspectionMatrixFixture.Variants)
        {
            if (!fixture.Reports.TryGetValue(variant, out InspectionReport? report))
            {
                text.AppendLine($"{variant,-28} not run: {fixture.Failures.GetValueOrDefault(variant)}");
                continue;
            }
            HashSet<string> fired = [.. report.Findings.Select(f => f.Scenario)];
            HashSet<string> want = expected.GetValueOrDefault(variant) ?? [];
            var cells = ids.Select(id =>
            {
                bool f = fired.Contains(id), w = want.Contains(id);
                if (f && w) { hits++; return " ●"; }
                if (w) { misses++; return " ○"; }
                if (f)
                {
                    if (variant.EndsWith("--fixed", StringComparison.Ordinal) || variant == "control")
                        falseAlarms++;
                    else
                        extras++;
                    return " x";
                }
                return " ·";
            });
            text.AppendLine($"{variant,-28}{string.Concat(cells)}");
        }
        text.AppendLine($"hits {hits}, missed {misses}, extra findings on other leaking scenarios {extras}, false alarms on fixed/control {falseAlarms}");
        return text.ToString();
    }
}
