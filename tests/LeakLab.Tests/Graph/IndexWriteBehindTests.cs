using LeakLab.Core.Graph.Index;
using LeakLab.Tests.Analysis;

namespace LeakLab.Tests.Graph;

/// <summary>
/// Indexes written behind the analysis (what <c>diff</c> does on dumps it reads for the first time) are the same files,
/// byte for byte, as indexes written in line, and serve later opens the same way.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IndexWriteBehindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-behind-").FullName;
    private readonly List<string> _notes = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewDump(string name)
    {
        string dump = Path.Combine(_dir, name);
        File.WriteAllBytes(dump, Enumerable.Range(0, 70_000).Select(i => (byte)(i * 17 + name.Length)).ToArray());
        return dump;
    }

    private HeapGraph Open(string dump, Func<HeapGraph> walk) => GraphIndex.Open(dump, walk, _notes.Add);

    private static void Analyse(HeapAnalysis analysis)
    {
        _ = analysis.Dominators.GetTotals(); // the dominator tree and its retained totals
        _ = GraphIndexTests.Shapes(analysis); // paths, shapes, short-lived forest and its shapes
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(29)]
    public void Behind_and_in_line_write_the_same_file_and_later_opens_read_it(int seed)
    {
        HeapGraph graph = TestGraphs.Random(seed);
        string inLine = NewDump("core.inline"), behind = NewDump("core.behind");
        File.Copy(inLine, behind, overwrite: true);
        File.SetLastWriteTimeUtc(behind, File.GetLastWriteTimeUtc(inLine)); // the same identity: the same file

        Analyse(new HeapAnalysis(Open(inLine, () => graph)));

        HeapGraph walked;
        HeapAnalysis first;
        using (IndexWriteBehind.Start())
        {
            walked = Open(behind, () => graph);
            Assert.Same(graph, walked); // handed over at once, not read back
            first = new HeapAnalysis(walked);
            Analyse(first);
        } // waits for the writes

        Assert.Equal(File.ReadAllBytes(inLine + ".llidx"), File.ReadAllBytes(behind + ".llidx"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(behind + ".llidx"));
        var reopened = new HeapAnalysis(Open(behind, () => throw new InvalidOperationException("the index must serve the second open")));
        long length = new FileInfo(behind + ".llidx").Length;
        GraphIndexTests.AssertSameGraph(graph, reopened.Graph);
        GraphIndexTests.AssertSameAnalyses(first, reopened);
        Assert.Equal(length, new FileInfo(behind + ".llidx").Length); // all read back, nothing computed again
        Assert.Empty(_notes);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public async Task Write_behind_applies_to_the_code_that_opened_it_and_its_tasks_only()
    {
        string dump = NewDump("core.scope");
        HeapGraph graph = TestGraphs.Random(5);
        using (IndexWriteBehind.Start())
        {
            Assert.Throws<InvalidOperationException>(() => IndexWriteBehind.Start());
            HeapGraph? elsewhere = null;
            // Code that did not open it (another test, a notebook cell) keeps the in-line write and mapped read-back.
            var other = new Thread(() => elsewhere = Open(NewDump("core.other"), () => graph));
            other.UnsafeStart(); // no execution context flows
            other.Join();
            Assert.NotSame(graph, elsewhere);
            Assert.Same(graph, await Task.Run(() => Open(dump, () => graph)));
        }
        Assert.Null(IndexWriteBehindProbe.Current());
    }

    [Fact]
    public void An_index_that_cannot_be_written_is_noted_once_and_the_analysis_goes_on()
    {
        string dump = NewDump("core.blocked");
        // Directories squat on every place the index could go (this works for root as well as for a user).
        IReadOnlyList<string> places = IndexLocation.Candidates(Path.GetFullPath(dump));
        foreach (string place in places)
            Directory.CreateDirectory(place);
        try
        {
            HeapGraph graph = TestGraphs.Random(8);
            HeapAnalysis analysis;
            using (IndexWriteBehind.Start())
            {
                analysis = new HeapAnalysis(Open(dump, () => graph));
                Analyse(analysis);
            }
            Assert.Single(_notes);
            Assert.StartsWith("cannot write an index for core.blocked", _notes[0], StringComparison.Ordinal);
            GraphIndexTests.AssertSameAnalyses(new HeapAnalysis(graph), analysis); // the results are whole all the same
            Assert.All(places, p => Assert.Empty(Directory.GetFileSystemEntries(p)));
        }
        finally
        {
            foreach (string place in places)
                Directory.Delete(place, recursive: true);
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    private static class IndexWriteBehindProbe
    {
        public static IndexWriteBehind? Current() => IndexWriteBehind.Current;
    }
}
