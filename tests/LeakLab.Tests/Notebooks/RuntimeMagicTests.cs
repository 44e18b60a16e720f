using Microsoft.Data.Analysis;
using Xunit;

namespace LeakLab.Tests.Notebooks;

/// <summary><c>#!leaklab runtime</c>: a dump's runtime tables rendered escaped and as typed DataFrames; snapshots without them fail in one line.</summary>
public class RuntimeMagicTests
{
    private const string Evil = "Evil.<script>alert(1)</script>";

    private static RuntimeTables Hostile() => new()
    {
        Info = SnapshotInfo.HandBuilt(),
        FinalizerQueue = [new FinalizerQueueRow(Evil, 7, 3, 96)],
        Handles = [new GcHandleRow("Pinned", Evil, 2, 48)],
        Timers = [new TimerRow("Evil.<img src=x onerror=alert(1)>.Tick", Evil, null, 5, 100, 900, 1000, 0x1234)],
        Threads = [new ThreadRow(1, 4242, "<b>main</b>", "Background", false, "System.Threading.Monitor.Wait", null, ["Frame<T>()", "Main()"], 12, [Evil])],
        PendingTasks = [new PendingTaskRow(Evil, 4, 9, 6, 0xabc)],
        CancellationSources = [new CancellationSourceRow(0xdef, "System.Threading.CancellationTokenSource", 30, false, true, [Evil])],
        SafeHandles = [new SafeHandleRow(Evil, 11, 1, [0x10, 0x20])],
        Memory = new MemorySummary(1_000_000, 400_000, 50_000, 550_000),
        Process = new ProcessMemory(900_000, 700_000, 200_000, 0, 950_000, 300_000, 400_000, "runtime"),
    };

    [Fact]
    public void EveryTableRendersEscapedHtmlAndText()
    {
        var result = new RuntimeResult("s1", Hostile());
        Assert.Equal(RuntimeTable.Names, result.Select(t => t.Name));
        string html = result.ToHtml();
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<b>main", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Equal(RuntimeTable.Names.Count, html.Split("<table").Length - 1);
        string text = result.ToText();
        foreach (string name in RuntimeTable.Names)
            Assert.Contains($"{name}: ", text);
        Assert.Contains("4,242", text);
    }

    [Fact]
    public void DataFramesHaveTypedColumnsEvenWhenATableIsEmpty()
    {
        var frames = new RuntimeResult("s1", Hostile()).ToDataFrames();
        Assert.Equal(RuntimeTable.Names, frames.Select(f => f.Name));
        DataFrame threads = frames.Single(f => f.Name == "threads").Frame;
        Assert.Equal(typeof(long), threads["managed_id"].DataType);
        Assert.Equal(typeof(bool), threads["finalizer"].DataType);
        Assert.Equal(typeof(string), threads["name"].DataType);
        Assert.Equal("<b>main</b>", threads["name"][0]);
        Assert.Equal(4242L, threads["os_id"][0]);
        DataFrame timers = frames.Single(f => f.Name == "timers").Frame;
        Assert.Equal("0x1234", timers["example"][0]);
        Assert.Null(timers["state_type"][0]);
        Assert.Equal(1000L, timers["period_ms"][0]);
        Assert.Equal(550_000L, frames.Single(f => f.Name == "memory").Frame["non_gc_bytes"][0]);
        Assert.Equal(400_000L, frames.Single(f => f.Name == "process").Frame["non_gc_bytes"][0]);
        Assert.Equal(true, frames.Single(f => f.Name == "tokens").Frame["disposed"][0]);
        Assert.All(frames, f => Assert.Equal("s1", f.Frame["snapshot"][0]));

        var empty = new RuntimeResult("s2", new RuntimeTables { Info = SnapshotInfo.HandBuilt() }, "safehandles");
        DataFrame handles = Assert.Single(empty.ToDataFrames()).Frame;
        Assert.Equal(0, handles.Rows.Count);
        Assert.Equal([typeof(string), typeof(string), typeof(long), typeof(long)], handles.Columns.Select(c => c.DataType));
    }

    [Fact]
    public async Task ASnapshotWithoutRuntimeTablesOrABadTableNameFailsInOneLine()
    {
        using var session = new LeakLabSession();
        var b = new HeapGraphBuilder();
        b.AddRoot(RootKind.StaticField, "C.F", b.AddNode("System.Object", 24));
        session.Add(b.Build(new SnapshotInfo { SourceKind = "eventpipe", Path = "/tmp/x.llhg" }), "ep");
        var executor = new MagicCommandExecutor(session);

        var noTables = await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab runtime ep"));
        Assert.Equal(LeakLabErrorKind.NotADump, noTables.Kind);
        Assert.DoesNotContain('\n', noTables.Message);

        var badTable = await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab runtime --table bogus"));
        Assert.Equal(LeakLabErrorKind.BadArgument, badTable.Kind);
        Assert.Equal("t", new MagicCommandParser().Parse("#!leaklab runtime ep --table Timers --to t").To);
    }

    /// <summary>A snapshot of a live process carries its /proc reading: its one table is "process"; a live process takes no snapshot name.</summary>
    [Fact]
    public async Task ASnapshotOfALiveProcessShowsItsProcessMemoryAndLiveOptionsAreChecked()
    {
        using var session = new LeakLabSession();
        var b = new HeapGraphBuilder();
        b.AddRoot(RootKind.StaticField, "C.F", b.AddNode("System.Object", 24));
        var memory = new ProcessMemory(90L << 20, 70L << 20, 20L << 20, 0, 95L << 20, 30L << 20, 40L << 20, "eventpipe");
        session.Add(b.Build(new SnapshotInfo { SourceKind = "eventpipe", Path = "/tmp/x.llhg", ProcessMemory = memory }), "ep");
        var executor = new MagicCommandExecutor(session);

        var result = Assert.IsType<RuntimeResult>(await executor.ExecuteAsync("#!leaklab runtime ep"));
        RuntimeTable process = Assert.Single(result);
        Assert.Equal("process", process.Name);
        Assert.Equal(40L << 20, Assert.Single(process.Rows)[process.Columns.ToList().IndexOf("non_gc_bytes")]);

        var both = await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab runtime ep --pid 12"));
        Assert.Contains("not both", both.Message);
        var table = await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab runtime --pid 12 --table timers"));
        Assert.Contains("only the process table", table.Message);
    }

    /// <summary>A live process (here the test host itself, read from the real /proc) shows its memory as the process table and a DataFrame.</summary>
    [Fact]
    public async Task ALiveProcessShowsItsMemoryFromProc()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var session = new LeakLabSession();
        var result = Assert.IsType<RuntimeResult>(await new MagicCommandExecutor(session).ExecuteAsync($"#!leaklab runtime --pid {Environment.ProcessId}"));
        RuntimeTable table = Assert.Single(result);
        Assert.Equal("process", table.Name);
        DataFrame frame = Assert.Single(result.ToDataFrames()).Frame;
        Assert.True((long)frame["resident_bytes"][0] > 10L << 20, frame.ToString());
        Assert.True((long)frame["anonymous_bytes"][0] + (long)frame["file_backed_bytes"][0] == (long)frame["resident_bytes"][0]);
        Assert.Contains("process: Process memory from /proc", result.ToText());
    }
}
