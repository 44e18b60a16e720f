using Microsoft.Data.Analysis;
using Xunit;

namespace LeakLab.Tests.Notebooks;

/// <summary>Every tabular result as DataFrames: typed columns, the same rows as the result, a snapshot column.</summary>
public class ResultDataFrameTests
{
    private static LeakLabSession Session()
    {
        var session = new LeakLabSession();
        session.Add(TestGraphs.StaticCache(5), "a");
        session.Add(TestGraphs.StaticCache(9), "b");
        return session;
    }

    private static void AssertColumns(DataFrame frame, params (string Name, Type Type)[] expected) =>
        Assert.Equal(expected, frame.Columns.Select(c => (c.Name, c.DataType)));

    [Fact]
    public void StatsRowsAreTheResultsRowsWithLongCounts()
    {
        using var session = Session();
        var stats = session.Stats("b", retained: true);
        var frame = stats.ToDataFrame();
        AssertColumns(frame, ("snapshot", typeof(string)), ("type", typeof(string)), ("count", typeof(long)), ("bytes", typeof(long)), ("retained", typeof(long)));
        Assert.Equal(stats.Count, frame.Rows.Count);
        Assert.Equal(stats.Select(s => s.Type), frame["type"].Cast<string>());
        Assert.Equal(stats.Select(s => s.Bytes), frame["bytes"].Cast<long?>().Select(v => v!.Value));
        Assert.All(frame["snapshot"].Cast<string>(), s => Assert.Equal("b", s));
        Assert.Equal(9L, frame.Filter(((StringDataFrameColumn)frame["type"]).ElementwiseEquals("System.Byte[]"))["count"][0]);
    }

    [Fact]
    public void DiffIsLongFormatWithOneRowPerSnapshotAndThreeTables()
    {
        using var session = Session();
        var diff = session.Diff();
        var tables = diff.ToDataFrames();
        Assert.Equal(["types", "roots", "paths"], tables.Select(t => t.Name));
        var types = tables[0].Frame;
        AssertColumns(types, ("snapshot", typeof(string)), ("type", typeof(string)), ("count", typeof(long)), ("bytes", typeof(long)),
            ("retained", typeof(long)), ("growing", typeof(bool)), ("score", typeof(double)));
        Assert.Equal(diff.Count * 2, types.Rows.Count);
        var bytes = types.Filter(((StringDataFrameColumn)types["type"]).ElementwiseEquals("System.Byte[]"));
        Assert.Equal(["a", "b"], bytes["snapshot"].Cast<string>());
        Assert.Equal([5L, 9L], bytes["count"].Cast<long?>().Select(v => v!.Value));
        Assert.Contains(TestGraphs.CacheRoot, tables[1].Frame["name"].Cast<string>());
        Assert.Equal(diff.Paths.Count * 2, tables[2].Frame.Rows.Count);
    }

    [Fact]
    public void RootsRetainedAndPathsHaveTypedTables()
    {
        using var session = Session();
        var roots = session.Roots("a", [RootKind.StaticField]).ToDataFrame();
        Assert.Equal([TestGraphs.CacheRoot], roots["name"].Cast<string>());
        Assert.StartsWith("0x", (string)roots["address"][0]);

        var retained = session.Retained("a", top: 3).ToDataFrames();
        Assert.Equal(["objects", "types", "roots"], retained.Select(t => t.Name));
        Assert.Equal(typeof(long), retained[0].Frame["retained"].DataType);
        Assert.True((long)retained[2].Frame["retained"][0]! > 5 * 1048);

        var paths = session.Paths("a", type: "System.Byte[]").ToDataFrame();
        Assert.Equal(5L, paths["count"][0]);
        Assert.Contains("_entries", (string)paths["path"][0]);
    }

    [Fact]
    public void SqlColumnsAreTypedFromTheirValues()
    {
        using var session = Session();
        var frame = session.Sql("SELECT type, count, bytes * 1.5 AS half, NULL AS missing, count AS count FROM types ORDER BY bytes DESC").ToDataFrame();
        AssertColumns(frame, ("type", typeof(string)), ("count", typeof(long)), ("half", typeof(double)), ("missing", typeof(string)), ("count_2", typeof(long)));
        Assert.Null(frame["missing"][0]);
        Assert.Empty(session.Sql("CREATE TEMP VIEW v AS SELECT 1").ToDataFrames());
    }

    [Fact]
    public void ResultsWithoutATableSaySo()
    {
        using var session = Session();
        var e = Assert.Throws<LeakLabException>(() => session.Chart(ChartKind.Growth).ToDataFrame());
        Assert.Equal(LeakLabErrorKind.BadArgument, e.Kind);
    }
}
