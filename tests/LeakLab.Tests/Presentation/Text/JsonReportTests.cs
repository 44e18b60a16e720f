using System.Text.Json;

namespace LeakLab.Tests.Presentation.Text;

// JsonReport lives in Presentation/Json; its tests sit beside the text ones because both render the same results.
public class JsonReportTests
{
    [Fact]
    public void Stats_have_type_count_bytes_and_retained_only_when_known()
    {
        string json = JsonReport.Stats([new TypeStat("System.Byte[]", 3, 300) { Retained = 900 }, new TypeStat("Dictionary<String, Byte[]>", 1, 80)], Clean);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement[] rows = [.. doc.RootElement.GetProperty("types").EnumerateArray()];

        Assert.Equal("System.Byte[]", rows[0].GetProperty("type").GetString());
        Assert.Equal(3, rows[0].GetProperty("count").GetInt64());
        Assert.Equal(300, rows[0].GetProperty("bytes").GetInt64());
        Assert.Equal(900, rows[0].GetProperty("retained").GetInt64());
        Assert.False(rows[1].TryGetProperty("retained", out _));
        Assert.Contains("Dictionary<String, Byte[]>", json); // readable, not \u003C
    }

    /// <summary>Each finding carries the count it rests on per snapshot (oldest first), so a script can chart the growth.</summary>
    [Fact]
    public void Inspect_findings_carry_their_counts_per_snapshot()
    {
        InspectionSnapshot Snapshot(int subscribers)
        {
            var b = new HeapGraphBuilder();
            LeakLab.Tests.Inspections.InspectorTests.Event(b, subscribers);
            return new InspectionSnapshot(new HeapAnalysis(b.Build(new SnapshotInfo { SourceKind = "test", ProcessId = 7, HasFieldNames = true })), null);
        }
        InspectionReport report = Inspector.Run([Snapshot(20), Snapshot(300), Snapshot(600)]);
        using JsonDocument doc = JsonDocument.Parse(JsonReport.Findings(report, indented: false));
        JsonElement finding = doc.RootElement.EnumerateArray().Single(f => f.GetProperty("scenario").GetString() == "S02");

        Assert.Equal([20L, 300L, 600L], finding.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()));
        Assert.Equal("MyApp.Bus.Changed", finding.GetProperty("root").GetProperty("name").GetString());
    }

    [Fact]
    public void Paths_have_root_kind_as_string_steps_with_fields_and_repeat_only_on_runs()
    {
        var path = new RetentionPath(RootKind.StaticField, "A.Cache.Entries",
            [new PathStep("Dict", null), new PathStep("Node", "_next", 7), new PathStep("Byte[]", "[]")], 42, 0xabc);
        using JsonDocument doc = JsonDocument.Parse(JsonReport.Paths([path], Clean, indented: false));
        JsonElement p = doc.RootElement.GetProperty("paths")[0];

        Assert.Equal("StaticField", p.GetProperty("root").GetProperty("kind").GetString());
        Assert.Equal("A.Cache.Entries", p.GetProperty("root").GetProperty("name").GetString());
        Assert.Equal(42, p.GetProperty("count").GetInt32());
        Assert.Equal("0xabc", p.GetProperty("exampleAddress").GetString());
        JsonElement[] steps = [.. p.GetProperty("steps").EnumerateArray()];
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("field").ValueKind);
        Assert.False(steps[0].TryGetProperty("repeat", out _));
        Assert.Equal("_next", steps[1].GetProperty("field").GetString());
        Assert.Equal(7, steps[1].GetProperty("repeat").GetInt32());
        Assert.Equal("[]", steps[2].GetProperty("field").GetString());
    }

    [Fact]
    public void Roots_name_kind_and_the_held_type()
    {
        var b = new HeapGraphBuilder();
        NodeId dict = b.AddNode("Dictionary<String, Byte[]>", 80);
        b.AddRoot(RootKind.StaticField, "A.Cache.Entries", dict);
        HeapGraph graph = b.Build();

        using JsonDocument doc = JsonDocument.Parse(JsonReport.Roots(graph, graph.Roots));
        JsonElement root = doc.RootElement.GetProperty("roots")[0];
        Assert.Equal("StaticField", root.GetProperty("kind").GetString());
        Assert.Equal("A.Cache.Entries", root.GetProperty("name").GetString());
        Assert.Equal("Dictionary<String, Byte[]>", root.GetProperty("type").GetString());
        Assert.Equal($"0x{graph.Address(dict):x}", root.GetProperty("address").GetString());
    }

    [Fact]
    public void Strings_from_dumps_are_escaped_as_json()
    {
        string json = JsonReport.Stats([new TypeStat("Evil\"Type\n</script>", 1, 1)], Clean, indented: false);
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("Evil\"Type\n</script>", doc.RootElement.GetProperty("types")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Every_result_carries_the_load_report_clean_or_not()
    {
        var damaged = new LoadReport
        {
            Source = "dump", Objects = 900, Bytes = 90_000, RootsUnresolved = 2, RootSourcesUnread = 1,
            ReferencesDropped = 7, Damage = new HeapDamage(3, 4_096, 1, 1_000_000, 7),
        };
        using JsonDocument doc = JsonDocument.Parse(JsonReport.Stats([], damaged));
        JsonElement load = doc.RootElement.GetProperty("load");
        Assert.False(load.GetProperty("clean").GetBoolean());
        Assert.Equal("dump", load.GetProperty("source").GetString());
        Assert.Equal(900, load.GetProperty("objects").GetInt64());
        Assert.Equal(90_000, load.GetProperty("bytes").GetInt64());
        Assert.Equal(1, load.GetProperty("segmentsCutShort").GetInt32());
        Assert.Equal(2, load.GetProperty("rootsUnresolved").GetInt32());
        Assert.Equal(1, load.GetProperty("rootSourcesUnread").GetInt32());
        Assert.Equal(7, load.GetProperty("referencesDropped").GetInt64());
        Assert.Equal(0, load.GetProperty("eventsLost").GetInt64());
        Assert.Equal(3, load.GetProperty("damage").GetProperty("badObjects").GetInt32());
        Assert.Equal(4_096, load.GetProperty("damage").GetProperty("bytesSkipped").GetInt64());

        var b = new HeapGraphBuilder();
        b.AddRoot(RootKind.StaticField, "A.B", b.AddNode("T", 48));
        HeapGraph graph = b.Build();
        using JsonDocument roots = JsonDocument.Parse(JsonReport.Roots(graph, graph.Roots));
        JsonElement counted = roots.RootElement.GetProperty("load");
        Assert.True(counted.GetProperty("clean").GetBoolean());
        Assert.Equal(1, counted.GetProperty("objects").GetInt64());
        Assert.Equal(48, counted.GetProperty("bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, counted.GetProperty("damage").ValueKind);
    }

    private static readonly LoadReport Clean = new() { Source = "dump", Objects = 4, Bytes = 380, RootsUnresolved = 0 };
}
