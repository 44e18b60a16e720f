using Xunit;

namespace LeakLab.Tests.Notebooks;

public class LeakLabSessionTests
{
    private static LeakLabSession ThreeSnapshots()
    {
        var session = new LeakLabSession();
        session.Add(TestGraphs.StaticCache(10), "s1");
        session.Add(TestGraphs.StaticCache(40), "s2");
        session.Add(TestGraphs.StaticCache(90), "s3");
        return session;
    }

    [Fact]
    public async Task A_load_that_lost_part_of_the_heap_says_so_under_its_result()
    {
        string folder = Directory.CreateTempSubdirectory("leaklab-partial-").FullName;
        try
        {
            var partial = new LoadReport { Source = "dump", Objects = 5, Bytes = 500, RootsUnresolved = 2, Damage = new HeapDamage(3, 4_096, 1, 1 << 20, 0) };
            string lossy = Path.Combine(folder, "lossy.llhg"), whole = Path.Combine(folder, "whole.llhg");
            HeapGraph graph = TestGraphs.StaticCache(5);
            HeapSnapshotFile.Save(graph, whole);
            var b = new HeapGraphBuilder();
            b.AddRoot(RootKind.StaticField, "A.B", b.AddNode("T", 48));
            HeapSnapshotFile.Save(b.Build(SnapshotInfo.HandBuilt() with { SourceKind = "dump", Load = partial }), lossy);

            using var session = new LeakLabSession();
            var shown = Assert.IsType<SnapshotResult>(await new LoadMagicCommand(lossy, "lossy").ExecuteAsync(session));
            Assert.Contains("warning: the heap is damaged and was read in part: 3 bad objects", shown.ToText());
            Assert.Contains("2 roots whose object could not be read", shown.ToText());
            Assert.Contains("<p class=\"ll-warn\">warning: the heap is damaged", shown.ToHtml());
            Assert.False(session["lossy"].Info.Load!.IsClean);

            var clean = Assert.IsType<SnapshotResult>(await new LoadMagicCommand(whole, "whole").ExecuteAsync(session));
            Assert.DoesNotContain("warning", clean.ToText());
            Assert.DoesNotContain("class=\"ll-warn\"", clean.ToHtml());
            Assert.Equal("llhg", session["whole"].Info.Load!.Source);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void StatsAreTypedRowsOfTheNamedOrLatestSnapshot()
    {
        using var session = ThreeSnapshots();
        var latest = session.Stats(top: 3);
        Assert.Equal("s3", latest.Snapshot);
        Assert.Equal("System.Byte[]", latest[0].Type);
        Assert.Equal(90, latest[0].Count);
        Assert.Equal(10, session.Stats("s1").Single(r => r.Type == "System.Byte[]").Count);
        Assert.Equal(3, latest.Count);
        // LINQ over results, as a notebook would.
        Assert.Equal(90 * 1048L, latest.Where(r => r.Type.EndsWith("[]")).First().Bytes);
    }

    [Fact]
    public void RetainedStatsAndTopObjects()
    {
        using var session = ThreeSnapshots();
        var stats = session.Stats("s2", retained: true);
        Assert.Equal(TestGraphs.CacheType, stats[0].Type);
        Assert.True(stats[0].Retained >= 40 * 1048L);
        var retained = session.Retained("s2", top: 2);
        Assert.Equal(TestGraphs.CacheType, retained[0].Type);
        Assert.Contains(retained.Roots, r => r.Name == TestGraphs.CacheRoot);
    }

    [Fact]
    public void PathsNameTheStaticField()
    {
        using var session = ThreeSnapshots();
        var paths = session.Paths(type: "System.Byte[]");
        var top = Assert.Single(paths);
        Assert.Equal(RootKind.StaticField, top.RootKind);
        Assert.Equal(TestGraphs.CacheRoot, top.RootName);
        Assert.Equal(90, top.Count);
        Assert.Contains("OrderCache.Entries", paths.ToText());
        Assert.Throws<LeakLabException>(() => session.Paths());
    }

    [Fact]
    public void RootsFilterByKind()
    {
        using var session = ThreeSnapshots();
        Assert.Equal(2, session.Roots().Count);
        var statics = session.Roots(kind: RootKind.StaticField);
        Assert.Equal(TestGraphs.CacheType, Assert.Single(statics).Type);
        Assert.Contains(TestGraphs.CacheRoot, statics.ToHtml());
    }

    [Fact]
    public void DiffPutsTheGrowingTypeFirst()
    {
        using var session = ThreeSnapshots();
        var diff = session.Diff();
        Assert.Equal(["s1", "s2", "s3"], diff.SnapshotNames);
        var byteTrend = diff.Single(t => t.Type == "System.Byte[]");
        Assert.Equal([10L, 40L, 90L], byteTrend.Counts);
        Assert.True(byteTrend.Growing);
        Assert.Contains(diff.Suspects, t => t.Type == "System.Byte[]");
        Assert.Equal(["s3", "s1"], session.Diff("s3", "s1").SnapshotNames);
    }

    [Fact]
    public void SqlOverTheSessionTables()
    {
        using var session = ThreeSnapshots();
        var rows = session.Sql("SELECT type, count, bytes FROM types WHERE type = 'System.Byte[]' ORDER BY count");
        Assert.Equal(["type", "count", "bytes"], rows.Columns);
        Assert.Equal(3, rows.Count);
        Assert.Equal(new long[] { 10, 40, 90 }, rows.Select(r => Convert.ToInt64(r[1])).ToArray());
        Assert.Equal(90L, Convert.ToInt64(rows.Value(2, "COUNT")));
        var bad = Assert.Throws<LeakLabException>(() => session.Sql("SELEKT nonsense"));
        Assert.DoesNotContain('\n', bad.Message);
    }

    [Fact]
    public void A_statement_without_a_result_set_renders_as_a_note_and_its_effect_is_queryable()
    {
        using var session = ThreeSnapshots();
        var created = session.Sql("CREATE TEMP VIEW big AS SELECT type, bytes FROM types WHERE bytes > 1000");
        Assert.Empty(created.Columns);
        Assert.Contains("no result set", created.ToText());
        Assert.Contains("no result set", created.ToHtml());
        Assert.Equal(["type", "bytes"], session.Sql("SELECT * FROM big").Columns);
    }

    [Fact]
    public void Paths_to_a_type_that_does_not_exist_say_so()
    {
        using var session = ThreeSnapshots();
        var ex = Assert.Throws<LeakLabException>(() => session.Paths(type: "NoSuchTypeAnywhere"));
        Assert.Equal(LeakLabErrorKind.BadArgument, ex.Kind);
    }

    [Fact]
    public void ChartsAreFiguresWithHtml()
    {
        using var session = ThreeSnapshots();
        var growth = session.Chart(ChartKind.Growth, top: 3);
        Assert.Contains("\"data\"", growth.ToJson());
        Assert.Contains("Plotly.newPlot", growth.ToHtml());
        Assert.Contains("treemap", session.Chart(ChartKind.Retained).ToJson());
        Assert.Contains("bar", session.Chart(ChartKind.Generations, "s1").ToJson());
    }

    [Fact]
    public void NamesAreUniqueAndErrorsSayWhatToDo()
    {
        using var session = new LeakLabSession();
        var none = Assert.Throws<LeakLabException>(() => session.Stats());
        Assert.Equal(LeakLabErrorKind.NotReady, none.Kind);
        session.Add(TestGraphs.StaticCache(1), "a");
        Assert.Equal("s2", session.Add(TestGraphs.StaticCache(1)).Name);
        Assert.Throws<LeakLabException>(() => session.Add(TestGraphs.StaticCache(1), "a"));
        var unknown = Assert.Throws<LeakLabException>(() => session.Stats("zzz"));
        Assert.Equal(LeakLabErrorKind.BadArgument, unknown.Kind);
        Assert.Throws<LeakLabException>(() => session.Diff("a"));
        Assert.Throws<LeakLabException>(() => session.Load("/nonexistent/file.dmp"));
    }

    [Fact]
    public async Task ExecutorRunsMagicTextAgainstTheSession()
    {
        using var session = ThreeSnapshots();
        var executor = new MagicCommandExecutor(session);
        var stats = Assert.IsType<StatsResult>(await executor.ExecuteAsync("#!leaklab stats s1 --top 1"));
        Assert.Equal("System.Byte[]", Assert.Single(stats).Type);
        Assert.IsType<DiffResult>(await executor.ExecuteAsync("#!leaklab diff"));
        Assert.IsType<SqlResult>(await executor.ExecuteAsync("#!leaklab sql SELECT COUNT(*) AS n FROM snapshots"));
        Assert.IsType<RootsResult>(await executor.ExecuteAsync("#!leaklab roots --kind ThreadStack"));
        await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab load /nonexistent.dmp"));
    }
}

public class LabTests
{
    [Fact]
    public async Task OpenFailsCleanlyAndKeepsTheCurrentSession()
    {
        var before = Lab.Current;
        await Assert.ThrowsAsync<LeakLabException>(() => Lab.Open("/nonexistent/app.dmp"));
        Assert.Same(before, Lab.Current);
        var empty = await Lab.Open();
        try
        {
            Assert.Same(empty, Lab.Current);
            Assert.Empty(empty.Snapshots);
        }
        finally
        {
            Lab.Current = before;
            empty.Dispose();
        }
    }

    [Fact]
    public async Task HelpListsEverySubcommand()
    {
        using var session = new LeakLabSession();
        var help = Assert.IsType<HelpResult>(await new MagicCommandExecutor(session).ExecuteAsync("#!leaklab help"));
        Assert.Equal(MagicCommandRegistry.Default.Subcommands.Count, help.Count);
        Assert.Contains("#!leaklab paths [SNAPSHOT] (--type T | --address A) [--limit N]", help.ToText());
    }
}
