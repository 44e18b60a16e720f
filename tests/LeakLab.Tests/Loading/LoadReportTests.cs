namespace LeakLab.Tests.Loading;

public class LoadReportTests
{
    [Fact]
    public void A_report_is_clean_only_when_nothing_was_lost()
    {
        var whole = new LoadReport { Source = "dump", Objects = 10, Bytes = 480, RootsUnresolved = 0, Damage = HeapDamage.None(4096) };
        Assert.True(whole.IsClean);
        Assert.Null(whole.Warning);
        Assert.Equal("nothing", whole.Describe());
        Assert.True((whole with { RootsUnresolved = null }).IsClean); // a statistics walk reads no roots: not a loss

        Assert.False((whole with { RootsUnresolved = 2 }).IsClean);
        Assert.False((whole with { RootSourcesUnread = 1 }).IsClean);
        Assert.False((whole with { EventsLost = 5 }).IsClean);
        Assert.False((whole with { ReferencesDropped = 1 }).IsClean);
        Assert.False((whole with { Damage = new HeapDamage(1, 64, 0, 4096, 0) }).IsClean);
        Assert.Equal(1, (whole with { Damage = new HeapDamage(1, 64, 1, 4096, 0) }).SegmentsCutShort);
    }

    [Fact]
    public void The_warning_names_each_loss_once()
    {
        var report = new LoadReport
        {
            Source = "dump", Objects = 10, Bytes = 480, RootsUnresolved = 2, RootSourcesUnread = 1,
            ReferencesDropped = 3, Damage = new HeapDamage(1, 64, 0, 4096, 3),
        };
        Assert.Equal(
            "the heap is damaged and was read in part: 1 bad object, 64 bytes (1.6% of the heap) skipped, 3 references to no object dropped, "
            + "2 roots whose object could not be read, 1 module, thread or handle table whose roots could not be read; results leave the unread objects out",
            report.Warning);

        var snapshot = new LoadReport { Source = "eventpipe", Objects = 10, Bytes = 480, RootsUnresolved = 0, EventsLost = 12, ReferencesDropped = 1 };
        Assert.Equal("the heap was read in part: 1 reference to no object dropped, 12 events lost; results leave the unread objects out", snapshot.Warning);
    }

    [Fact]
    public void A_graph_built_in_memory_counts_as_read_whole()
    {
        var b = new HeapGraphBuilder();
        b.AddEdge(b.AddNode("A", 24), b.AddNode("B", 5L << 30));
        HeapGraph graph = b.Build();

        LoadReport report = LoadReport.Of(graph);
        Assert.True(report.IsClean);
        Assert.Equal("test", report.Source);
        Assert.Equal(2, report.Objects);
        Assert.Equal(24 + (5L << 30), report.Bytes);
        Assert.Null(report.Damage);
    }
}
