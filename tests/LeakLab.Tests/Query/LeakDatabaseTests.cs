using Xunit;
using System.Diagnostics;
using LeakLab.Tests.Presentation.Html;
using Xunit.Abstractions;

namespace LeakLab.Tests.Query;

public class LeakDatabaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Group_by_type_over_objects_equals_type_statistics()
    {
        var graph = HostileHeap.Build(leaked: 25);
        var analysis = new HeapAnalysis(graph);
        using var db = LeakDatabase.Create(analysis);

        var expected = TypeStatistics.Compute(graph, null, analysis.Dominators);
        var fromObjects = db.Query("SELECT type, count(*) AS n, sum(size) AS bytes FROM objects GROUP BY type ORDER BY bytes DESC, n DESC, type");
        Assert.Equal(expected.Select(s => (s.Type, s.Count, s.Bytes)),
            fromObjects.Rows.Select(r => ((string)r[0]!, (long)r[1]!, (long)r[2]!)).OrderByDescending(x => x.Item3).ThenByDescending(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal));

        var fromTypes = db.Query("SELECT type, count, bytes, retained FROM types WHERE snapshot_id = 1");
        Assert.Equal(expected.Select(s => (s.Type, s.Count, s.Bytes, s.Retained)).OrderBy(x => x.Type, StringComparer.Ordinal),
            fromTypes.Rows.Select(r => ((string)r[0]!, (long)r[1]!, (long)r[2]!, (long?)r[3])).OrderBy(x => x.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public void Snapshots_roots_objects_and_refs_hold_the_graph()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var graph = HostileHeap.Build(leaked: 5, label: "one.dmp", capturedAt: at);
        var analysis = new HeapAnalysis(graph);
        using var db = LeakDatabase.Create([analysis, new HeapAnalysis(HostileHeap.Build(leaked: 9, label: "two.dmp"))]);

        var snaps = db.Query("SELECT id, label, path, pid, captured_at, objects, bytes FROM snapshots ORDER BY id");
        Assert.Equal(2, snaps.Rows.Count);
        Assert.Equal(new object?[] { 1L, "one.dmp", "/tmp/one.dmp", 42L, "2026-11-22T10:30:00.000Z", (long)graph.NodeCount,
                      Enumerable.Range(0, graph.NodeCount).Sum(n => graph.Size((NodeId)n)) }, snaps.Rows[0]);

        var roots = db.Query("SELECT kind, name, type, address, retained_bytes, retained_count, node FROM roots WHERE snapshot_id = 1 ORDER BY node");
        Assert.Equal(graph.Roots.Count, roots.Rows.Count);
        var staticRoot = roots.Rows[0];
        Assert.Equal("StaticField", staticRoot[0]);
        Assert.Equal(HostileHeap.Script, staticRoot[1]);
        Assert.Equal(HostileHeap.Img, staticRoot[2]);
        Assert.Equal((long)graph.Address(graph.Roots[0].Node), staticRoot[3]);
        Assert.Equal(analysis.Dominators.RetainedByRoot((RootId)(0)).Bytes, staticRoot[4]);
        Assert.Equal(2L + 5, staticRoot[5]); // holder, array, 5 leaked objects

        var objects = db.Query("SELECT node, address, type, size, generation, retained FROM objects WHERE snapshot_id = 1 ORDER BY node");
        Assert.Equal(graph.NodeCount, objects.Rows.Count);
        for (int n = 0; n < graph.NodeCount; n++)
        {
            var row = objects.Rows[n];
            Assert.Equal(new object?[] { (long)n, (long)graph.Address((NodeId)n), graph.NodeTypeName((NodeId)n), graph.Size((NodeId)n) }, row[..4]);
            Assert.Equal(analysis.Dominators.RetainedSize((NodeId)n), row[5]);
        }
        Assert.Equal("gen2", objects.Rows[0][4]);
        Assert.Equal("gen1", db.Query("SELECT generation FROM objects WHERE type = '<>c__DisplayClass0_0' GROUP BY generation").Rows.Single()[0]);

        var refs = db.Query("SELECT from_node, to_node, field FROM refs WHERE snapshot_id = 1 ORDER BY from_node, to_node");
        Assert.Equal(graph.EdgeCount, refs.Rows.Count);
        Assert.Equal(new object?[] { 0L, 1L, HostileHeap.Script }, refs.Rows[0]);
        Assert.Equal("[]", refs.Rows[1][2]);

        // A join across the in-memory and background tables: what the static root's array holds, by type.
        var held = db.Query("""
            SELECT o.type, count(*) FROM refs r JOIN objects o ON o.snapshot_id = r.snapshot_id AND o.node = r.to_node
            WHERE r.snapshot_id = 2 AND r.field = '[]' GROUP BY o.type
            """);
        Assert.Equal(new object?[] { HostileHeap.Script, 9L }, held.Rows.Single());
    }

    [Fact]
    public void Bad_sql_is_one_line_naming_the_tables()
    {
        using var db = LeakDatabase.Create(new HeapAnalysis(HostileHeap.Build()));
        // DuckDB's own words, on one line, then the tables: the query's excerpt and caret lines are left out.
        var syntax = Assert.Throws<LeakLabException>(() => db.Query("SELEC * FROM types"));
        Assert.Equal(LeakLabErrorKind.BadArgument, syntax.Kind);
        Assert.StartsWith("SQL error: Parser Error: syntax error at or near \"SELEC\"", syntax.Message);
        Assert.EndsWith(". Tables: snapshots, types, roots, objects, refs", syntax.Message);

        var table = Assert.Throws<LeakLabException>(() => db.Query("SELECT * FROM typez"));
        Assert.Equal(LeakLabErrorKind.BadArgument, table.Kind);
        Assert.StartsWith("SQL error: Catalog Error: Table with name typez does not exist", table.Message);

        var column = Assert.Throws<LeakLabException>(() => db.Query("SELECT nope\nFROM objects"));
        Assert.Equal(LeakLabErrorKind.BadArgument, column.Kind);
        Assert.Contains("\"nope\" not found", column.Message);
        foreach (var e in new[] { syntax, table, column })
        {
            Assert.DoesNotContain('\n', e.Message);
            Assert.DoesNotContain("LINE ", e.Message);
        }

        Assert.Throws<LeakLabException>(() => db.Query("  "));
        Assert.Throws<LeakLabException>(() => LeakDatabase.Create([]));
    }

    [Fact]
    public async Task Objects_load_in_the_background_while_small_tables_answer_at_once()
    {
        var graph = Synthetic(400_000);
        var analysis = new HeapAnalysis(graph);
        _ = analysis.Dominators;

        var clock = Stopwatch.StartNew();
        await using var db = LeakDatabase.Create(analysis);
        var created = clock.Elapsed;
        var types = await db.QueryAsync("SELECT type, count FROM types ORDER BY count DESC");
        var firstAnswer = clock.Elapsed;
        bool loadedBeforeFirstAnswer = db.ObjectsLoaded;

        Assert.Equal(TimeSpan.Zero, types.WaitedForObjects);
        Assert.Equal(400_000L, types.Rows.Sum(r => (long)r[1]!));
        Assert.False(loadedBeforeFirstAnswer, "the objects table was loaded before the first query even started");
        Assert.Null(db.ObjectsLoadTime);

        var count = await db.QueryAsync("SELECT count(*) FROM objects");
        Assert.Equal(400_000L, count.Rows[0][0]);
        Assert.True(db.ObjectsLoaded);
        Assert.NotNull(db.ObjectsLoadTime);
        Assert.True(count.WaitedForObjects > TimeSpan.Zero);
        Assert.Equal((400_000L, (long)graph.EdgeCount), db.BigTableRows);
        Assert.Contains("waited", count.ToString());
        output.WriteLine($"create {created.TotalMilliseconds:0} ms, first answer {firstAnswer.TotalMilliseconds:0} ms, objects+refs load {db.ObjectsLoadTime!.Value.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Queries_from_several_threads_are_serialised_and_dispose_deletes_the_file()
    {
        var db = LeakDatabase.Create(new HeapAnalysis(HostileHeap.Build()));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => db.QueryAsync(i % 2 == 0 ? "SELECT count(*) FROM objects" : "SELECT count(*) FROM types"))));
        Assert.All(results, r => Assert.Single(r.Rows));
        // Only this database's file: other tests in this process create and delete their own in parallel.
        Assert.True(File.Exists(db.ObjectsFilePath), db.ObjectsFilePath);
        db.Dispose();
        Assert.False(File.Exists(db.ObjectsFilePath), $"{db.ObjectsFilePath} still exists");
        Assert.Throws<ObjectDisposedException>(() => db.Query("SELECT 1"));
    }

    [Fact]
    public void Dominators_that_are_not_computed_leave_retained_null()
    {
        var analysis = new HeapAnalysis(HostileHeap.Build());
        using var db = LeakDatabase.Create(analysis, computeRetained: false);
        Assert.False(analysis.HasDominators);
        Assert.All(db.Query("SELECT retained FROM types").Rows, r => Assert.Null(r[0]));
        Assert.All(db.Query("SELECT retained FROM objects").Rows, r => Assert.Null(r[0]));
        Assert.All(db.Query("SELECT retained_bytes FROM roots").Rows, r => Assert.Null(r[0]));
    }

    [Fact]
    public void Text_result_is_aligned_and_schema_is_documented()
    {
        using var db = LeakDatabase.Create(new HeapAnalysis(HostileHeap.Build()));
        string text = db.Query("SELECT type, count FROM types ORDER BY count DESC, type LIMIT 2").ToString();
        var lines = text.Split('\n');
        Assert.StartsWith("type", lines[0]);
        Assert.Matches(@"^-+  -+", lines[1]);
        Assert.Equal(lines[1].Length, lines[2].TrimEnd('\r').Length);   // right-aligned count column ends at the rule
        Assert.Contains("(2 rows, ", text);

        foreach (string table in new[] { "snapshots", "types", "roots", "objects", "refs", "counters", "gc_events", "findings" })
        {
            Assert.Contains(table is "objects" or "refs" ? $"CREATE VIEW {table} AS SELECT" : $"CREATE TABLE {table} (", LeakDatabase.Schema);
            Assert.Empty(db.Query($"SELECT * FROM {table} WHERE false").Rows);
        }
    }

    /// <summary>
    /// Load time of the objects and refs tables. 300,000 objects by default so the suite stays fast; set
    /// LEAKLAB_SQL_OBJECTS=3000000 to measure the 3M-object case from issue 4.
    /// </summary>
    [Fact]
    public async Task Measures_the_background_load_rate()
    {
        int n = int.TryParse(Environment.GetEnvironmentVariable("LEAKLAB_SQL_OBJECTS"), out int v) ? v : 300_000;
        var graph = Synthetic(n);
        var clock = Stopwatch.StartNew();
        await using var db = LeakDatabase.Create(new HeapAnalysis(graph), computeRetained: false);
        var create = clock.Elapsed;
        var first = await db.QueryAsync("SELECT count(*) FROM types");
        var firstAt = clock.Elapsed;
        await db.WaitForObjectsAsync();
        var load = db.ObjectsLoadTime!.Value;
        var group = await db.QueryAsync("SELECT generation, count(*), sum(size) FROM objects GROUP BY generation");

        double rowsPerSecond = (n + graph.EdgeCount) / load.TotalSeconds;
        output.WriteLine($"{n:N0} objects + {graph.EdgeCount:N0} refs: Create {create.TotalMilliseconds:0} ms, first query answered at {firstAt.TotalMilliseconds:0} ms " +
                         $"({first.Elapsed.TotalMilliseconds:0.0} ms), load {load.TotalMilliseconds:0} ms = {rowsPerSecond:N0} rows/s, GROUP BY generation {group.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal((long)n, group.Rows.Sum(r => (long)r[1]!));
        Assert.True(firstAt < load, "the first small query waited for the big load");
        Assert.True(rowsPerSecond > 100_000, $"load rate {rowsPerSecond:N0} rows/s");
    }

    /// <summary>A heap shaped like the static-cache leak: a root holding chains of nodes, each holding a byte array.</summary>
    internal static HeapGraph Synthetic(int objects)
    {
        var b = new HeapGraphBuilder(objects, objects);
        TypeId node = b.AddType("Node"), bytes = b.AddType("System.Byte[]"), list = b.AddType("System.Collections.Generic.List<Node>");
        FieldId next = b.AddField("Next"), payload = b.AddField("Payload");
        NodeId root = b.AddNode(list, 32, Generation.Gen2);
        int prev = root;
        for (int i = 1; i + 1 < objects; i += 2)
        {
            NodeId nd = b.AddNode(node, 40, i % 3 == 0 ? Generation.Gen0 : Generation.Gen2);
            NodeId by = b.AddNode(bytes, 24 + (i % 100), Generation.Gen2);
            b.AddEdge((NodeId)prev, nd, (FieldId)(prev == root ? FieldIds.ArrayElement : next));
            b.AddEdge(nd, by, payload);
            prev = nd;
        }
        while (b.NodeCount < objects)
            b.AddNode(bytes, 24);
        b.AddRoot(RootKind.StaticField, "Program.Chains", root);
        return b.Build();
    }
}
