using LeakLab.IntegrationTests.Cli;

namespace LeakLab.IntegrationTests.Dumps;

/// <summary>
/// The graph index (issue 13.1) on a real dump: the second open reads the index, not the dump, and every command
/// answers exactly as it did from the heap walk.
/// </summary>
[Collection(StaticCacheLoadFixture.Collection)]
public sealed class GraphIndexDumpTests(StaticCacheLoadFixture fixture)
{
    [Fact]
    public void Second_open_reads_the_index_and_gives_the_walks_graph()
    {
        using var folder = new TempFolder("leaklab-index");
        string dump = folder.File("core.static-cache");
        File.Copy(fixture.DumpPath, dump);
        int walks = 0;
        var notes = new List<string>();
        HeapGraph Open() => GraphIndex.Open(dump, () => { walks++; return DumpLoader.Load(dump); }, notes.Add);

        HeapGraph first = Open();
        HeapGraph second = Open();
        Assert.Equal(1, walks);
        Assert.Empty(notes);
        Assert.True(File.Exists(dump + ".llidx"));

        HeapGraph walked = fixture.Graph;
        Assert.Equal(walked.NodeCount, second.NodeCount);
        Assert.Equal(walked.EdgeCount, second.EdgeCount);
        Assert.Equal(walked.Roots, second.Roots);
        Assert.Equal(walked.Info with { Path = null }, second.Info with { Path = null });
        for (int i = 0; i < walked.NodeCount; i++)
        {
            var v = (NodeId)i;
            Assert.Equal(walked.Address(v), second.Address(v));
            Assert.Equal(walked.NodeTypeName(v), second.NodeTypeName(v));
            Assert.Equal(walked.Size(v), second.Size(v));
            Assert.Equal(walked.GenerationOf(v), second.GenerationOf(v));
            Assert.True(walked.Children(v).SequenceEqual(second.Children(v)));
        }
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Cli_commands_answer_the_same_from_the_index()
    {
        using var folder = new TempFolder("leaklab-index-cli");
        string dump = folder.File("core.static-cache");
        File.Copy(fixture.DumpPath, dump);
        HeapRoot cache = fixture.Graph.Roots.Single(r => r.Name == StaticCacheLoadFixture.CacheFieldName);
        string address = $"0x{fixture.Graph.Address(cache.Node):x}";
        string[][] commands =
        [
            ["paths", dump, "--address", address],
            ["paths", dump, "--type", "CachedOrder"],
            ["roots", dump],
            ["retained", dump],
            ["retained", dump, "--json"],
            ["retained", dump, "--json", "--top", "1500"], // beyond the objects the index keeps: a scan of the tree
        ];

        var walked = commands.Select(c => CliRun.InProcess(c)).ToList(); // the first builds the index, the rest add to it
        long indexLength = new FileInfo(dump + ".llidx").Length;
        var indexed = commands.Select(c => CliRun.InProcess(c)).ToList();
        for (int i = 0; i < commands.Length; i++)
        {
            Assert.True(walked[i].ExitCode == 0, walked[i].ToString());
            Assert.Equal(walked[i].Stdout, indexed[i].Stdout);
            Assert.DoesNotContain("note", indexed[i].Stderr);
        }
        Assert.Contains("CachedOrder", indexed[1].Stdout);
        // The retained figures the index stores, against those of the walked graph with no index behind it.
        var walkedAnalysis = new HeapAnalysis(fixture.Graph);
        foreach (int top in new[] { StatsOptions.DefaultTop, 1500 })
        {
            string fresh = JsonReport.Retained(RetainedVerb.Run(walkedAnalysis, new RetainedOptions { Top = top }));
            Assert.Equal(fresh, indexed[top == 1500 ? 5 : 4].Stdout.TrimEnd());
        }
        Assert.True(walkedAnalysis.Dominators.ReachableCount > 1500, "the scan case needs more reachable objects than the top");
        Assert.Equal(indexLength, new FileInfo(dump + ".llidx").Length); // nothing computed and stored again
    }

    [Fact]
    public async Task Diff_one_snapshot_at_a_time_equals_the_comparison_of_all_in_memory()
    {
        using var folder = new TempFolder("leaklab-index-diff");
        string[] dumps = [folder.File("a.core"), folder.File("b.core"), folder.File("c.core")];
        File.Copy(fixture.DumpPath, dumps[0]);
        for (int i = 1; i < dumps.Length; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(0.5)); // the cache grows between dumps
            CliResult dumped = CliRun.InProcess("dump", "--pid", fixture.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", dumps[i]);
            Assert.True(dumped.ExitCode == 0, dumped.ToString());
        }

        string expected = JsonReport.Diff(SnapshotComparison.CompareInCaptureOrder([.. dumps.Select(d => new HeapAnalysis(DumpLoader.Load(d)))]));
        // Given newest first: the streaming diff must order by capture time before loading, as the in-memory one does.
        string[] args = ["diff", dumps[2], dumps[0], dumps[1], "--json"];
        CliResult first = CliRun.InProcess(args); // walks each dump once and builds its index
        CliResult second = CliRun.InProcess(args); // from the indexes
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(Normalise(expected), Normalise(first.Stdout));
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.All(dumps, d => Assert.True(File.Exists(d + ".llidx")));
    }

    /// <summary>The in-memory comparison was given the files in order, the CLI reordered them and says so.</summary>
    private static string Normalise(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json.Trim(), "\"order\": \"[^\"]*\"", "\"order\": \"\"");
}
