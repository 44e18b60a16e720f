using Xunit;
using System.Diagnostics;
using LeakLab.Tests.Presentation.Html;

namespace LeakLab.Tests.Query;

/// <summary>What the DuckDB engine behind <see cref="LeakDatabase"/> must get right: complete big tables, plain value kinds, cleanup.</summary>
public class DuckDatabaseTests
{
    [Fact]
    public async Task Objects_and_refs_are_complete_for_every_snapshot_once_loaded()
    {
        HeapGraph[] graphs = [LeakDatabaseTests.Synthetic(150_001), HostileHeap.Build(leaked: 7), LeakDatabaseTests.Synthetic(70_000)];
        var analyses = graphs.Select(g => new HeapAnalysis(g)).ToList();
        await using var db = LeakDatabase.Create(analyses);
        await db.WaitForObjectsAsync();

        var perSnapshot = db.Query("""
            SELECT s.id, s.objects, (SELECT count(*) FROM objects o WHERE o.snapshot_id = s.id),
                   (SELECT sum(size) FROM objects o WHERE o.snapshot_id = s.id), s.bytes,
                   (SELECT count(*) FROM refs r WHERE r.snapshot_id = s.id),
                   (SELECT count(*) FROM refs r WHERE r.snapshot_id = s.id AND r.field IS NULL)
            FROM snapshots s ORDER BY s.id
            """);
        Assert.Equal(graphs.Length, perSnapshot.Rows.Count);
        for (int i = 0; i < graphs.Length; i++)
        {
            var row = perSnapshot.Rows[i];
            long bytes = Enumerable.Range(0, graphs[i].NodeCount).Sum(n => graphs[i].Size((NodeId)n));
            Assert.Equal(new object?[] { i + 1L, (long)graphs[i].NodeCount, (long)graphs[i].NodeCount, bytes, bytes, (long)graphs[i].EdgeCount, 0L }, row);
        }
        Assert.Equal((graphs.Sum(g => (long)g.NodeCount), graphs.Sum(g => (long)g.EdgeCount)), db.BigTableRows);

        // Per type, objects agrees with the types table (names joined back from ids, every snapshot apart).
        var mismatches = db.Query("""
            SELECT t.snapshot_id, t.type FROM types t
            LEFT JOIN (SELECT snapshot_id, type, count(*) AS n, sum(size) AS b FROM objects GROUP BY ALL) o
              ON o.snapshot_id = t.snapshot_id AND o.type = t.type
            WHERE o.n IS DISTINCT FROM t.count OR o.b IS DISTINCT FROM t.bytes
            """);
        Assert.Empty(mismatches.Rows);

        // Every edge of the first graph, by its nodes and field name.
        var refs = db.Query("SELECT from_node, to_node, field FROM refs WHERE snapshot_id = 1 ORDER BY from_node, to_node");
        HeapGraph first = graphs[0];
        int k = 0;
        for (int n = 0; n < first.NodeCount; n++)
        {
            ReadOnlySpan<NodeId> children = first.Children((NodeId)n);
            ReadOnlySpan<FieldId> fields = first.ChildFields((NodeId)n);
            var expected = new List<(long To, string? Field)>();
            for (int c = 0; c < children.Length; c++)
                expected.Add((children[c], fields[c] == FieldIds.Unknown ? null : first.FieldName(fields[c])));
            foreach (var (to, field) in expected.OrderBy(x => x.To))
                Assert.Equal(new object?[] { (long)n, to, field }, refs.Rows[k++]);
        }
        Assert.Equal(refs.Rows.Count, k);
    }

    [Fact]
    public void Values_come_back_as_long_double_string_byte_array_or_null()
    {
        using var db = LeakDatabase.Create(new HeapAnalysis(HostileHeap.Build()));
        var row = db.Query("""
            SELECT sum(bytes), count(*), avg(count), 1.5, true, 'text', NULL, 18446744073709551615::UBIGINT,
                   170141183460469231731687303715884105727::HUGEINT, [1, 2], '\x01\x02'::BLOB, 7::TINYINT
            FROM types
            """).Rows.Single();
        Assert.IsType<long>(row[0]);
        Assert.IsType<long>(row[1]);
        Assert.IsType<double>(row[2]);
        Assert.Equal(1.5, row[3]);
        Assert.Equal(1L, row[4]);
        Assert.Equal("text", row[5]);
        Assert.Null(row[6]);
        Assert.Equal("18446744073709551615", row[7]); // too big for long: exact text, never rounded
        Assert.Equal("170141183460469231731687303715884105727", row[8]);
        Assert.Equal("[1, 2]", row[9]);
        Assert.Equal(new byte[] { 1, 2 }, row[10]);
        Assert.Equal(7L, row[11]);
    }

    [Fact]
    public void Dispose_during_the_load_stops_it_and_deletes_the_folder()
    {
        var db = LeakDatabase.Create(new HeapAnalysis(LeakDatabaseTests.Synthetic(2_000_000)), computeRetained: false);
        string folder = Path.GetDirectoryName(db.ObjectsFilePath)!;
        Assert.True(Directory.Exists(folder));
        Assert.False(db.ObjectsLoaded);
        var clock = Stopwatch.StartNew();
        db.Dispose();
        Assert.False(Directory.Exists(folder), $"{folder} still exists");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"dispose took {clock.Elapsed}");
        Assert.Throws<ObjectDisposedException>(() => db.Query("SELECT 1"));
    }

    [Fact]
    public void A_folder_left_by_an_ended_process_is_swept_and_a_running_ones_kept()
    {
        int ended;
        using (var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            p.WaitForExit();
            ended = p.Id;
        }
        string stale = Path.Combine(Path.GetTempPath(), $"leaklab-sql-{ended}-{Guid.NewGuid():N}");
        string live = Path.Combine(Path.GetTempPath(), $"leaklab-sql-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(stale);
            File.WriteAllText(Path.Combine(stale, "leaklab.duckdb"), "left over");
            Directory.CreateDirectory(live);
            using var db = LeakDatabase.Create(new HeapAnalysis(HostileHeap.Build()));
            Assert.False(Directory.Exists(stale), $"{stale} was not swept");
            Assert.True(Directory.Exists(live), "the folder of a running process was deleted");
        }
        finally
        {
            foreach (string d in new[] { stale, live })
            {
                if (Directory.Exists(d))
                    Directory.Delete(d, recursive: true);
            }
        }
    }
}
