using Xunit;

namespace LeakLab.Tests.Inspections;

/// <summary>S07 on hand-built thread tables of a program it was not written against (MyApp.*).</summary>
public class BlockedThreadsInspectionTests
{
    private static InspectionSnapshot Snapshot(int blocked, int idle)
    {
        var threads = new List<ThreadRow>();
        for (int i = 0; i < blocked; i++)
            threads.Add(new ThreadRow(10 + i, (uint)(100 + i), null, "blocked, background", false, "System.Threading.Monitor.Wait", "MyApp.Importer.Drain", ["System.Threading.Monitor.Wait", "MyApp.Importer.Drain"], 2, ["MyApp.Batch ×1"]));
        for (int i = 0; i < idle; i++)
            threads.Add(new ThreadRow(500 + i, (uint)(900 + i), null, "running or idle, background", false, null, null, ["[DebuggerU2MCatchHandlerFrame]"], 0, []));
        var info = new SnapshotInfo { SourceKind = "test", ProcessId = 7, HasFieldNames = true };
        var b = new HeapGraphBuilder();
        b.AddRoot(RootKind.StaticField, "MyApp.Program.s_config", b.AddNode("MyApp.Config", 64));
        var graph = b.Build(info);
        return new InspectionSnapshot(new HeapAnalysis(graph), new RuntimeTables { Info = info, Threads = threads });
    }

    private static Finding? S07(params int[] blocked) =>
        Inspector.Run([.. blocked.Select(n => Snapshot(n, idle: 3))]).Findings.SingleOrDefault(f => f.Scenario == "S07");

    [Fact]
    public void Threads_blocked_in_one_wait_that_keep_growing_are_named()
    {
        Finding finding = Assert.IsType<Finding>(S07(8, 24, 40));
        Assert.Equal("MyApp.Importer.Drain", finding.Root.Name);
        Assert.Equal([8L, 24, 40], finding.Counts);
    }

    /// <summary>The cap was reached between the first and the second snapshot (a demo on a busy machine): still stuck.</summary>
    [Fact]
    public void A_group_that_grew_to_a_cap_and_holds_is_named_too()
    {
        Finding finding = Assert.IsType<Finding>(S07(12, 64, 64));
        Assert.Equal("MyApp.Importer.Drain", finding.Root.Name);
    }

    [Theory]
    [InlineData(new[] { 64, 64, 64 })] // a fixed set of workers waiting for work
    [InlineData(new[] { 12, 64, 40 })] // threads came back: not stuck
    [InlineData(new[] { 2, 9, 9 })]    // too few to call stuck once they stop growing
    public void Flat_shrinking_or_small_groups_are_not(int[] blocked) => Assert.Null(S07(blocked));
}
