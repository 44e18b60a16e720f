using System.Text.Json;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// The CLI and the notebook session answer from the same verbs: for the same .llhg files (hand-built heaps saved with
/// <see cref="HeapSnapshotFile"/>, so no process is needed) stats, paths, roots, retained and diff agree row for row.
/// </summary>
public sealed class VerbHostsAgreeTests : IDisposable
{
    private const string Cache = "System.Collections.Generic.Dictionary<System.String, System.Byte[]>";
    private readonly TempFolder _folder = new("leaklab-verbs");
    private readonly string[] _files;

    public VerbHostsAgreeTests()
    {
        _files = [.. new[] { 10, 40, 90 }.Select((leaked, i) =>
        {
            string path = _folder.File($"s{i + 1}.llhg");
            HeapSnapshotFile.Save(Heap(leaked), path);
            return path;
        })];
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>S01's shape (a static dictionary of byte arrays) plus 30 small types, so the default row count matters.</summary>
    private static HeapGraph Heap(int leaked)
    {
        var b = new HeapGraphBuilder();
        NodeId dict = b.AddNode(Cache, 80, Generation.Gen2);
        NodeId entries = b.AddNode(Cache + "+Entry[]", 24 + 24L * leaked, Generation.Large);
        b.AddEdge(dict, entries, "_entries");
        for (int i = 0; i < leaked; i++)
            b.AddEdge(entries, b.AddNode("System.Byte[]", 1048, Generation.Gen2), FieldId.ArrayElement);
        b.AddRoot(RootKind.StaticField, "Shop.OrderCache.Entries", dict);
        for (int t = 0; t < 30; t++)
        {
            NodeId holder = b.AddNode($"Shop.Part{t:00}", 24 + t);
            b.AddRoot(RootKind.StrongHandle, $"strong handle {t}", holder);
        }
        return b.Build();
    }

    private static JsonElement Json(params string[] args)
    {
        CliResult run = CliRun.InProcess(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Stdout).RootElement;
    }

    [Fact]
    public void Stats_agree_and_share_one_default_row_count()
    {
        using var session = new LeakLabSession();
        session.Load(_files[2]);

        JsonElement cli = Json("stats", _files[2], "--json", "--top", "5", "--type", "System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]");
        StatsResult notebook = session.Stats(top: 5, type: "System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]");
        Assert.Equal(
            cli.GetProperty("types").EnumerateArray().Select(r => (r.GetProperty("type").GetString(), r.GetProperty("count").GetInt64(), r.GetProperty("bytes").GetInt64())),
            notebook.Select(r => ((string?)r.Type, r.Count, r.Bytes)));
        Assert.Equal([Cache, Cache + "+Entry[]"], notebook.Select(r => r.Type)); // the exact match first, though smaller

        // The CLI's table and the notebook show the same number of rows by default (the CLI showed 30, notebooks 20).
        CliResult table = CliRun.InProcess("stats", _files[2], "--full-names");
        int cliRows = table.Stdout.Split('\n').Count(line => line.Contains("Shop.Part", StringComparison.Ordinal) || line.Contains("System.", StringComparison.Ordinal));
        Assert.Equal(StatsOptions.DefaultTop, session.Stats().Count);
        Assert.Equal(StatsOptions.DefaultTop, cliRows);
    }

    [Fact]
    public void Paths_roots_retained_and_diff_agree()
    {
        using var session = new LeakLabSession();
        foreach (string file in _files)
            session.Load(file);

        JsonElement paths = Json("paths", _files[2], "--json", "--type", "byte[]");
        Assert.Equal(
            paths.GetProperty("paths").EnumerateArray().Select(p => (p.GetProperty("root").GetProperty("name").GetString(), p.GetProperty("count").GetInt32(), p.GetProperty("shape").GetString())),
            session.Paths(type: "byte[]").Select(p => ((string?)p.RootName, p.Count, (string?)p.Shape)));

        JsonElement roots = Json("roots", _files[2], "--json", "--kind", "static");
        Assert.Equal(
            roots.GetProperty("roots").EnumerateArray().Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("name").GetString())),
            session.Roots(kind: RootKind.StaticField).Select(r => ((string?)r.Kind.ToString(), (string?)r.Name)));

        JsonElement retained = Json("retained", _files[2], "--json");
        RetainedResult objects = session.Retained();
        Assert.Equal(
            retained.GetProperty("objects").EnumerateArray().Select(o => (o.GetProperty("type").GetString(), o.GetProperty("retained").GetInt64())),
            objects.Select(o => ((string?)o.Type, o.Retained)));

        JsonElement diff = Json(["diff", .. _files, "--json"]);
        DiffResult compared = session.Diff();
        Assert.Contains(compared.Suspects, t => t.Type == "System.Byte[]");
        Assert.Equal(
            diff.GetProperty("types").EnumerateArray().Select(t => (t.GetProperty("type").GetString(), t.GetProperty("growing").GetBoolean())),
            compared.Select(t => ((string?)t.Type, t.Growing)));
    }

    [Fact]
    public void A_type_no_host_knows_is_one_clear_line_in_both()
    {
        using var session = new LeakLabSession();
        session.Load(_files[0], "first");
        CliResult cli = CliRun.InProcess("paths", _files[0], "--type", "NoSuchType");
        Assert.Equal(1, cli.ExitCode);
        // The error wraps to the terminal's width; its lines join back into the one message.
        Assert.Contains("no type in the dump matches 'NoSuchType'; list the types with 'leaklab stats FILE --type PART_OF_NAME'", CliRun.ErrorMessage(cli));
        var notebook = Assert.Throws<LeakLabException>(() => session.Paths(type: "NoSuchType"));
        Assert.Equal("no type in snapshot 'first' matches 'NoSuchType'; list the types with `#!leaklab stats --type PART_OF_NAME`", notebook.Message);
    }
}
