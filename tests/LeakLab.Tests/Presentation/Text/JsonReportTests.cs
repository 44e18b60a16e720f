using System.Text.Json;

namespace LeakLab.Tests.Presentation.Text;

// JsonReport lives in Presentation/Json; its tests sit beside the text ones because both render the same results.
public class JsonReportTests
{
    [Fact]
    public void Stats_have_type_count_bytes_and_retained_only_when_known()
    {
        string json = JsonReport.Stats([new TypeStat("System.Byte[]", 3, 300) { Retained = 900 }, new TypeStat("Dictionary<String, Byte[]>", 1, 80)]);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement[] rows = [.. doc.RootElement.EnumerateArray()];

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
        using JsonDocument doc = JsonDocument.Parse(JsonReport.Paths([path], indented: false));
        JsonElement p = doc.RootElement[0];

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
        int dict = b.AddNode("Dictionary<String, Byte[]>", 80);
        b.AddRoot(RootKind.StaticField, "A.Cache.Entries", dict);
        HeapGraph graph = b.Build();

        using JsonDocument doc = JsonDocument.Parse(JsonReport.Roots(graph, graph.Roots));
        JsonElement root = doc.RootElement[0];
        Assert.Equal("StaticField", root.GetProperty("kind").GetString());
        Assert.Equal("A.Cache.Entries", root.GetProperty("name").GetString());
        Assert.Equal("Dictionary<String, Byte[]>", root.GetProperty("type").GetString());
        Assert.Equal($"0x{graph.Address(dict):x}", root.GetProperty("address").GetString());
    }

    [Fact]
    public void Strings_from_dumps_are_escaped_as_json()
    {
        string json = JsonReport.Stats([new TypeStat("Evil\"Type\n</script>", 1, 1)], indented: false);
        using JsonDocument doc = JsonDocument.Parse(json);
        Assert.Equal("Evil\"Type\n</script>", doc.RootElement[0].GetProperty("type").GetString());
    }
}
