using Microsoft.DotNet.Interactive.Events;
using Xunit.Abstractions;

namespace LeakLab.Interactive.Tests;

/// <summary>Every <c>#!leaklab</c> subcommand in the real kernel on real dumps, with and without arguments.</summary>
public class KernelMagicCommandTests(KernelSessionFixture fixture, ITestOutputHelper output) : IClassFixture<KernelSessionFixture>
{
    private const string LeakingType = "LeakLab.Sample.CachedOrder";
    private const string LeakingRoot = "LeakLab.Sample.OrderCache.Entries";

    private async Task<CellRun> Run(string code)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await fixture.Kernel.RunAsync(code);
        output.WriteLine($"{clock.ElapsedMilliseconds,6} ms  {code.Replace("\n", " \\n ", StringComparison.Ordinal)}  {(run.Error is null ? "ok" : "FAILED: " + run.Error)}");
        return run;
    }

    [Theory]
    [InlineData("#!leaklab help", "#!leaklab paths [SNAPSHOT]")]
    [InlineData("#!leaklab stats", "System.Byte[]")]
    [InlineData("#!leaklab roots", LeakingRoot)]
    [InlineData("#!leaklab retained", LeakingRoot)]
    [InlineData("#!leaklab diff", LeakingType)]
    public async Task SubcommandsWithoutArgumentsRun(string cell, string expected)
    {
        var run = (await Run(cell)).AssertSucceeded();
        Assert.Contains("<table", Assert.Single(run.Html));
        Assert.Contains(expected, Assert.Single(run.Text));
    }

    [Theory]
    [InlineData("#!leaklab stats b --top 3 --type CachedOrder --retained", LeakingType)]
    [InlineData("#!leaklab paths a --type " + LeakingType + " --limit 2", "OrderCache")]
    [InlineData("#!leaklab roots a --kind static", LeakingRoot)]
    [InlineData("#!leaklab retained b --top 3", "OrderCache")]
    [InlineData("#!leaklab diff a b", LeakingType)]
    [InlineData("#!leaklab sql SELECT type, count FROM types WHERE type LIKE '%CachedOrder' AND snapshot_id = 2", LeakingType)]
    public async Task SubcommandsWithArgumentsRun(string cell, string expected)
    {
        var run = (await Run(cell)).AssertSucceeded();
        Assert.Contains("ll-frag", Assert.Single(run.Html));
        Assert.Contains(expected, Assert.Single(run.Text));
    }

    [Fact]
    public async Task RootsKindTakesTheCliWordsAndFilters()
    {
        var statics = (await Run("#!leaklab roots a --kind static --to r")).AssertSucceeded();
        Assert.Contains(LeakingRoot, statics.Text[0]);
        var kinds = (await Run("r.Columns[\"kind\"].Cast<string>().Distinct().OrderBy(k => k).ToArray()")).AssertSucceeded();
        var seen = Assert.IsType<string[]>(kinds.ReturnValue);
        Assert.Contains("StaticField", seen);
        Assert.All(seen, k => Assert.Contains(k, new[] { "StaticField", "ThreadStaticField" }));
    }

    [Fact]
    public async Task ChartsDraw()
    {
        foreach (string cell in new[] { "#!leaklab chart growth", "#!leaklab chart retained a --top 3", "#!leaklab chart generations b" })
            Assert.Contains("data-ll-plotly", Assert.Single((await Run(cell)).AssertSucceeded().Html));
    }

    [Fact]
    public async Task RuntimeShowsADumpsTablesAndInspectChartsItsFindings()
    {
        var runtime = (await Run("#!leaklab runtime b --to rt")).AssertSucceeded();
        // Every table but "process", which only a live process (or a snapshot of one) has.
        Assert.Equal(RuntimeTable.Names.Count(n => n != "process"), runtime.Html[0].Split("<table").Length - 1);
        Assert.Contains("threads: ", runtime.Text[0]);
        var typed = (await Run("""
            (rt_threads["managed_id"].DataType.Name, rt_threads.Rows.Count > 0, (long)rt_memory["gc_committed_bytes"][0] > 0, rt.Columns["registered"].DataType.Name)
            """)).AssertSucceeded();
        Assert.Equal(("Int64", true, true, "Int64"), typed.ReturnValue);

        (await Run($"#!leaklab load \"{fixture.SnapshotFile}\" --as nortables")).AssertSucceeded();
        Assert.Contains(".llhg heap snapshot, not a dump: it has no runtime tables", (await Run("#!leaklab runtime nortables")).AssertFailed());

        var inspect = (await Run("#!leaklab inspect a b --to f")).AssertSucceeded();
        Assert.Contains("data-ll-plotly", inspect.Html[0]);
        var findings = (await Run("""
            (f.Rows.Count > 0, f["score"].DataType.Name, f_counts.Rows.Count > 0, f_counts["count"].DataType.Name)
            """)).AssertSucceeded();
        Assert.Equal((true, "Double", true, "Int64"), findings.ReturnValue);
    }

    [Fact]
    public async Task LoadTakesLlhgSnapshotsAndDumps()
    {
        var load = (await Run($"#!leaklab load \"{fixture.SnapshotFile}\" --as snap")).AssertSucceeded();
        Assert.Contains("snapshot 'snap'", load.Text[0]);
        var stats = (await Run("#!leaklab stats snap --type CachedOrder --to s")).AssertSucceeded();
        Assert.Contains(LeakingType, stats.Text[0]);
        // The snapshot holds the same heap as dump b.
        var same = (await Run("Lab.Current.Stats(\"snap\", 5).Select(r => r.Count).SequenceEqual(Lab.Current.Stats(\"b\", 5).Select(r => r.Count))")).AssertSucceeded();
        Assert.Equal(true, same.ReturnValue);
    }

    [Fact]
    public async Task DumpTakesAndLoadsADumpOfALiveProcess()
    {
        var run = (await Run($"#!leaklab dump --pid {fixture.SamplePid} --as live")).AssertSucceeded();
        Assert.Contains($"snapshot 'live'", run.Text[0]);
        Assert.Contains($"dumped from pid {fixture.SamplePid}", run.Text[0]);
        // The file sits in the session's own folder, which goes with the session (or the process).
        Assert.Single(Directory.GetFiles(Lab.Current.DumpFolder, "live-*.dmp"));
        Assert.Contains("give exactly one of --pid or --name", (await Run("#!leaklab dump")).AssertFailed());
    }

    [Theory]
    [InlineData("#!leaklab bogus", "unknown subcommand 'bogus'", "Usage: #!leaklab load|dump|stats")]
    [InlineData("#!leaklab", "a subcommand is missing", "Usage: #!leaklab load|dump|stats")]
    [InlineData("#!leaklab stats --bogus 3", "unknown option '--bogus'", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab stats --top many", "--top needs a positive whole number, not 'many'", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab retained --top 0", "--top needs a positive whole number, not '0'", "Usage: #!leaklab retained")]
    [InlineData("#!leaklab roots --kind nosuch", "unknown root kind 'nosuch'", "Usage: #!leaklab roots")]
    [InlineData("#!leaklab load /nonexistent/leaklab.dmp", "dump file '/nonexistent/leaklab.dmp' does not exist", "")]
    [InlineData("#!leaklab stats nosuch", "no snapshot named 'nosuch'", "")]
    [InlineData("#!leaklab diff a", "name at least two snapshots", "Usage: #!leaklab diff")]
    [InlineData("#!leaklab stats --to 1x", "--to needs a C# variable name", "Usage: #!leaklab stats")]
    [InlineData("#!leaklab sql", "the query is missing", "Usage: #!leaklab sql")]
    public async Task BadArgumentsFailTheCellWithOneLine(string cell, string problem, string usage)
    {
        string error = (await Run(cell)).AssertFailed();
        Assert.Contains(problem, error);
        Assert.Contains(usage, error);
        Assert.DoesNotContain('\n', error.Trim());
        Assert.DoesNotContain("Exception", error);
    }

    [Fact]
    public async Task AFileThatIsNoDumpFailsWithOneLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"leaklab-not-a-dump-{Guid.NewGuid():N}.dmp");
        File.WriteAllText(path, "hello, not a dump");
        try
        {
            string error = (await Run($"#!leaklab load \"{path}\"")).AssertFailed();
            Assert.Contains(Path.GetFileName(path), error);
            Assert.DoesNotContain('\n', error.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ToSetsDataFrameVariablesTheNextCSharpCellUses()
    {
        var stats = (await Run("#!leaklab stats b --top 50 --to st")).AssertSucceeded();
        Assert.Contains("st (50 rows)", string.Join("\n", stats.Text));
        var filtered = (await Run("""
            var big = st.Filter(st["bytes"].ElementwiseGreaterThan(100_000L));
            (st.GetType().Name, st["count"].DataType.Name, big.Rows.Count > 0, big.Rows.Count < st.Rows.Count)
            """)).AssertSucceeded();
        Assert.Equal(("DataFrame", "Int64", true, true), filtered.ReturnValue);

        (await Run("#!leaklab diff a b --to d")).AssertSucceeded();
        var diff = (await Run("""
            var cached = d.Filter(((Microsoft.Data.Analysis.StringDataFrameColumn)d["type"]).ElementwiseEquals("LeakLab.Sample.CachedOrder"));
            ((string)cached["snapshot"][0], (string)cached["snapshot"][1], (long)cached["count"][1] > (long)cached["count"][0], d_roots.Rows.Count > 0, d_paths.Columns["path"].DataType.Name)
            """)).AssertSucceeded();
        Assert.Equal(("a", "b", true, true, "String"), diff.ReturnValue);
    }

    [Fact]
    public async Task SqlTakesItsQueryFromTheLinesBelowAndTheCellGoesOn()
    {
        var run = (await Run("""
            #!leaklab sql --to q
            SELECT s.label AS snapshot, t.type, t.count
            FROM types t JOIN snapshots s ON s.id = t.snapshot_id  -- a comment, and [brackets] the kernel would read as JSON
            WHERE t.type LIKE '%CachedOrder' AND s.label IN ('a.dmp', 'b.dmp')
            ORDER BY s.label
            #!leaklab stats b --top 1
            """)).AssertSucceeded();
        Assert.Equal(2, run.Html.Count);
        Assert.Contains("LeakLab.Sample.CachedOrder", run.Html[0]);
        var q = (await Run("(q.Rows.Count, (string)q[\"snapshot\"][0], q[\"count\"].DataType.Name)")).AssertSucceeded();
        Assert.Equal((2L, "a.dmp", "Int64"), q.ReturnValue);
    }

    [Fact]
    public async Task ABadQueryBelowTheDirectiveFailsWithTheSqlErrorAlone()
    {
        string error = (await Run("#!leaklab sql\nSELECT nosuchcolumn\nFROM types")).AssertFailed();
        Assert.Contains("\"nosuchcolumn\" not found", error);
        Assert.DoesNotMatch(@"CS\d{4}", error); // the C# kernel never saw the query
        // The same kernel goes on: the claim on those lines does not swallow a later C# cell.
        Assert.Equal(3, (await Run("1 + 2")).AssertSucceeded().ReturnValue);
    }

    [Fact]
    public async Task CSharpAroundMagicLinesStillRuns()
    {
        var run = (await Run("""
            var before = 40;
            #!leaklab stats b --top 2
            before + 2
            """)).AssertSucceeded();
        Assert.Equal(42, run.ReturnValue);
        Assert.Single(run.Html, h => h.Contains("<table", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SnapshotLoadsAndWatchChartsTheLiveProcess()
    {
        // A session of its own, so the live snapshot does not become the latest snapshot of the fixture's session.
        LeakLabSession shared = Lab.Current;
        Lab.Current = new LeakLabSession();
        try
        {
            int pid = fixture.SamplePid;
            var snap = (await Run($"#!leaklab snapshot --pid {pid} --as ep")).AssertSucceeded();
            Assert.Contains("snapshot 'ep'", snap.Text[0]);
            Assert.Contains($"pid {pid} by EventPipe", snap.Text[0]);
            var cached = (await Run($"Lab.Current.Stats(\"ep\", 50, \"CachedOrder\").Single(r => r.Type == \"{LeakingType}\").Count")).AssertSucceeded();
            Assert.True((long)cached.ReturnValue! > 0, "the EventPipe snapshot holds the cached orders");

            var watch = (await Run($"#!leaklab watch --pid {pid} --duration 5 --snapshots 2 --to w")).AssertSucceeded();
            string text = string.Join("\n", watch.Text);
            Assert.Contains($"Watched process {pid}", text);
            Assert.Contains("2 snapshots", text);
            Assert.Contains("data-ll-plotly", string.Join("\n", watch.Html));
            // One output that updates in place: the chart so far while it runs (redrawn about once a second), then the
            // summary in the same place (same display id).
            var shown = watch.Events.OfType<DisplayedValueProduced>().First(); // then the note on the --to DataFrames
            var updates = watch.Events.OfType<DisplayedValueUpdated>().ToList();
            Assert.True(updates.Count >= 3, $"{updates.Count} updates");
            Assert.All(updates, u => Assert.Equal(shown.ValueId, u.ValueId));
            Assert.Contains($"watching process {pid}:", shown.FormattedValues.Single(v => v.MimeType == "text/plain").Value);
            Assert.Contains("data-ll-plotly", shown.FormattedValues.Single(v => v.MimeType == "text/html").Value);
            Assert.Contains($"Watched process {pid}", updates[^1].FormattedValues.Single(v => v.MimeType == "text/plain").Value);
            Assert.Contains("allocated at", updates[^1].FormattedValues.Single(v => v.MimeType == "text/plain").Value);
            // The two snapshots induce two gen2 GCs, so the timeline has them; counters arrive once a second.
            var frames = (await Run("""
                (w.Rows.Count >= 2, w.Columns["gen2_after"].DataType.Name,
                 ((Microsoft.Data.Analysis.StringDataFrameColumn)w["reason"]).Any(r => r == "Induced"),
                 ((Microsoft.Data.Analysis.StringDataFrameColumn)w_counters["name"]).Any(n => n == "gc-heap-size"),
                 ((Microsoft.Data.Analysis.StringDataFrameColumn)w_growing["type"]).Any(t => t == "CachedOrderTypeName"))
                """.Replace("CachedOrderTypeName", LeakingType, StringComparison.Ordinal))).AssertSucceeded();
            Assert.Equal((true, "Int64", true, true, true), frames.ReturnValue);
            string gone = (await Run("#!leaklab watch --pid 999999 --duration 1")).AssertFailed();
            Assert.Contains("999999", gone);
            Assert.DoesNotContain('\n', gone.Trim());
        }
        finally
        {
            Lab.Current.Dispose();
            Lab.Current = shared;
        }
    }
}
