using Xunit;

namespace LeakLab.Tests.Notebooks;

public class InspectMagicTests
{
    /// <summary>A static event (with hostile names) whose invocation list holds <paramref name="subscribers"/> listeners.</summary>
    private static HeapGraph EventGraph(int subscribers)
    {
        var b = new HeapGraphBuilder();
        Inspections.InspectorTests.Event(b, subscribers, "Evil.Bus.<img src=x onerror=alert(1)>", "Evil.<script>alert(1)</script>");
        return b.Build(new SnapshotInfo { SourceKind = "test", ProcessId = 3, HasFieldNames = true });
    }

    [Fact]
    public async Task Inspect_magic_runs_the_inspections_over_the_loaded_snapshots_and_escapes_names_in_html()
    {
        using var session = new LeakLabSession();
        session.Add(EventGraph(10), "a");
        session.Add(EventGraph(200), "b");
        session.Add(EventGraph(400), "c");
        var executor = new MagicCommandExecutor(session);

        var result = Assert.IsType<InspectResult>(await executor.ExecuteAsync("#!leaklab inspect"));
        Finding finding = Assert.Single(result);
        Assert.Equal("S02", finding.Scenario);
        Assert.Equal(["a", "b", "c"], result.SnapshotNames);
        Assert.Contains("[S02]", result.ToText());
        string html = result.ToHtml();
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;img src=x", html);

        var two = Assert.IsType<InspectResult>(await executor.ExecuteAsync("#!leaklab inspect a c"));
        Assert.Equal(["a", "c"], two.SnapshotNames);
        await Assert.ThrowsAsync<LeakLabException>(() => executor.ExecuteAsync("#!leaklab inspect nosuch"));
    }
}
