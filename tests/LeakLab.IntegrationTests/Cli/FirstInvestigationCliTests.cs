using System.Diagnostics;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// What a first investigation meets (issue 15): tables that fit 80 and 100 columns and a pipe, short names with full ones
/// on request, mistakes that say what was meant, paths that say which types they answer for, a practice target.
/// </summary>
public sealed class FirstInvestigationCliTests(StaticCacheDumpFixture fixture) : IClassFixture<StaticCacheDumpFixture>
{
    private const string CacheRoot = "OrderCache.Entries";

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    public void Tables_fit_the_width_and_keep_the_root_readable(int width)
    {
        foreach (string[] args in new[] { ["retained", "--top", "5"], new[] { "roots", "--kind", "static" }, ["stats", "--top", "10"], ["paths", "--type", "CachedOrder"] })
        {
            CliResult result = CliRun.InProcess([args[0], fixture.DumpPath, .. args[1..], "--width", width.ToString()]);
            Assert.True(result.ExitCode == 0, result.ToString());
            foreach (string line in result.Stdout.Split('\n'))
                Assert.True(line.Length <= width, $"{args[0]}: {line.Length} > {width}: {line}");
            if (args[0] is "retained" or "roots" or "paths")
                Assert.Contains(CacheRoot, result.Stdout); // whole, not cut in the middle
        }
    }

    [Fact]
    public async Task Piped_output_fits_120_columns_and_full_names_are_an_option()
    {
        CliResult piped = await CliRun.AsProcessAsync(TimeSpan.FromMinutes(2), "retained", fixture.DumpPath, "--top", "10");
        Assert.True(piped.ExitCode == 0, piped.ToString());
        int width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 40 ? columns : 120;
        Assert.All(piped.Stdout.Split('\n'), l => Assert.True(l.Length <= width, $"{l.Length}: {l}"));
        Assert.Contains("Dictionary<Int64, CachedOrder>", piped.Stdout);
        Assert.DoesNotContain("System.Collections.Generic.", piped.Stdout);

        CliResult full = CliRun.InProcess("retained", fixture.DumpPath, "--top", "3", "--full-names", "--width", "250");
        Assert.Contains("LeakLab.Sample.OrderCache.Entries", full.Stdout);
        Assert.Contains("System.Collections.Generic.Dictionary<System.Int64, LeakLab.Sample.CachedOrder>", full.Stdout);
    }

    [Fact]
    public void Retained_leads_with_the_roots()
    {
        CliResult result = CliRun.InProcess("retained", fixture.DumpPath, "--top", "5");
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n');
        Assert.StartsWith("Roots by retained size", lines[0]);
        Assert.StartsWith("---", lines[2]);
        Assert.Matches(@"\sstatic\s+OrderCache\.Entries\s", lines[3]); // the top root, on the first row
        Assert.True(result.Stdout.IndexOf("Roots by", StringComparison.Ordinal) < result.Stdout.IndexOf("Objects by", StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_by_short_name_is_exact_and_a_part_of_a_name_lists_what_it_matched()
    {
        CliResult exact = CliRun.InProcess("paths", fixture.DumpPath, "--type", "CachedOrder");
        Assert.True(exact.ExitCode == 0, exact.ToString());
        string[] lines = exact.Stdout.Split('\n');
        Assert.Matches(@"^Type CachedOrder: [\d,]+ objects, ", lines[0]);
        Assert.Contains("Path 1 of 1:", exact.Stdout); // only CachedOrder, not the dictionary and its Entry[] too

        CliResult partial = CliRun.InProcess("paths", fixture.DumpPath, "--type", "CachedOrd");
        Assert.True(partial.ExitCode == 0, partial.ToString());
        Assert.StartsWith("'CachedOrd' is part of ", partial.Stdout);
        Assert.Matches(@"\n\s+[\d,]+\s+[\d,]+\s+CachedOrder\n", partial.Stdout);            // each type with its objects
        Assert.Matches(@"Dictionary<Int64, CachedOrder>", partial.Stdout);
        Assert.Matches(@"Path 1 of \d+: .*\n(.*\n)*?\s+CachedOrder\n", partial.Stdout);      // the exact name's path first
    }

    [Theory]
    [InlineData(new[] { "paths", "FILE", "LeakLab.Sample.CachedOrder" }, "write --type LeakLab.Sample.CachedOrder (see 'leaklab paths --help')")]
    [InlineData(new[] { "stats" }, "'leaklab stats' needs a dump or snapshot file: leaklab stats FILE (see 'leaklab stats --help')")]
    [InlineData(new[] { "dump", "a2.dmp", "--pid", "1" }, "write -o a2.dmp (see 'leaklab dump --help')")]
    [InlineData(new[] { "stats", "FILE", "--top", "99999999999" }, "--top 99999999999 is too large")]
    [InlineData(new[] { "paths", "FILE", "--type", "" }, "--type needs a type name")]
    [InlineData(new[] { "paths", "FILE", "--limit", "0" }, "(see 'leaklab paths --help')")]
    public void Mistakes_say_what_was_meant_and_point_to_the_commands_help(string[] args, string expected)
    {
        CliResult result = CliRun.InProcess([.. args.Select(a => a == "FILE" ? fixture.DumpPath : a)]);
        CliRun.AssertOneLineError(result, 2, expected);
    }

    [Fact]
    public void An_existing_dump_file_names_the_overwrite_option()
    {
        using var folder = new TempFolder();
        string existing = folder.File("a.dmp");
        File.WriteAllText(existing, "x");
        CliRun.AssertOneLineError(CliRun.InProcess("dump", "--pid", fixture.Pid.ToString(), "-o", existing), 1, "--overwrite");
    }

    [Fact]
    public void Stats_says_its_counts_include_garbage()
    {
        CliResult result = CliRun.InProcess("stats", fixture.DumpPath, "--top", "3");
        Assert.Contains("Counts include unreachable objects", result.Stdout);
        CliResult withRetained = CliRun.InProcess("stats", fixture.DumpPath, "--top", "3", "--retained");
        Assert.Matches(@"(Counts include [\d,]+ unreachable objects|Every object is reachable)", withRetained.Stdout);
    }

    [Fact]
    public async Task Sample_start_runs_the_sample_in_the_background_and_prints_its_pid()
    {
        CliResult result = CliRun.InProcess("sample", "start", "control", "--rate", "0");
        int pid = int.Parse(result.Stdout.Trim());
        try
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"kill {pid}", result.Stderr);
            // control does not leak, and the line says so (it used to say "leaking 0 items/s").
            Assert.Contains($"sample 'control' is running as pid {pid}: no leak", result.Stderr);
            Assert.DoesNotContain("leaking", result.Stderr);
            Assert.All(result.Stderr.Split('\n'), line => Assert.True(line.Length <= 100, line));
            Assert.Contains(DotNetProcesses.List(), p => p.Pid == pid && p.CommandLine.Contains("LeakLab.Sample.dll control"));
            // It outlives the command that started it: a target to practise on.
            await Task.Delay(500);
            Assert.False(Process.GetProcessById(pid).HasExited);
        }
        finally
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            await Task.Delay(200);
            DotNetProcesses.RemoveLeftovers(pid);
            // The sample's log, named on stderr ("its output goes to /tmp/leaklab-sample-....log").
            var log = System.Text.RegularExpressions.Regex.Match(result.Stderr, @"(\S+leaklab-sample-\S+\.log)");
            if (log.Success)
                File.Delete(log.Groups[1].Value);
        }
    }
}
