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
        for (int v = 0; v < walked.NodeCount; v++)
        {
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
        Assert.Equal(indexLength, new FileInfo(dump + ".llidx").Length); // nothing computed and stored again
    }
}
