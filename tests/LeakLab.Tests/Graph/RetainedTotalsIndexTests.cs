using LeakLab.Tests.Analysis;

namespace LeakLab.Tests.Graph;

/// <summary>
/// <see cref="RetainedTotals"/> in the graph index: computed and stored on first use, read on later opens (nothing
/// appended again), the retained reports byte-identical to those of a graph with no index; a damaged section or an
/// index of another version is rebuilt with one note; written behind like the other sections during <c>diff</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RetainedTotalsIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-totals-").FullName;
    private readonly string _dump;
    private readonly List<string> _notes = [];
    private int _walks;

    public RetainedTotalsIndexTests()
    {
        _dump = Path.Combine(_dir, "core.7");
        File.WriteAllBytes(_dump, Enumerable.Range(0, 70_000).Select(i => (byte)(i * 13)).ToArray());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sidecar => _dump + ".llidx";

    private HeapGraph Open(Func<HeapGraph> walk) => GraphIndex.Open(_dump, () =>
    {
        _walks++;
        return walk();
    }, _notes.Add);

    private HeapGraph Reopen() => Open(() => throw new InvalidOperationException("the index must serve this open"));

    [Fact]
    public void Reopened_reports_are_byte_identical_to_those_without_an_index()
    {
        for (int seed = 0; seed < 60; seed++)
        {
            File.Delete(Sidecar);
            HeapGraph graph = TestGraphs.Random(seed);
            string[] expected = Reports(new HeapAnalysis(graph)); // no index behind it: computed in memory

            Assert.Equal(expected, Reports(new HeapAnalysis(Open(() => graph)))); // computed over the mapped index, stored
            long length = new FileInfo(Sidecar).Length;
            var reopened = new HeapAnalysis(Reopen());
            Assert.Equal(expected, Reports(reopened));
            Assert.Equal(length, new FileInfo(Sidecar).Length); // read from the index, not computed and appended again
            RetainedTotalsTests.AssertTotals(reopened.Dominators, reopened.Paths, reopened.Dominators.GetTotals(), $"seed {seed}");
        }
        Assert.Empty(_notes);
    }

    [Fact]
    public void Damaged_totals_are_computed_again_with_one_note()
    {
        HeapGraph graph = TestGraphs.Random(11);
        string[] expected = Reports(new HeapAnalysis(graph));
        var first = new HeapAnalysis(Open(() => graph));
        _ = first.Paths;
        _ = first.Dominators;
        long beforeTotals = new FileInfo(Sidecar).Length;
        Assert.Equal(expected, Reports(first));
        Flip(beforeTotals + 24); // the first payload bytes of the totals section: the heap's total bytes

        Assert.Equal(expected, Reports(new HeapAnalysis(Reopen())));
        Assert.Contains("retained totals", Assert.Single(_notes));
        Assert.Equal(expected, Reports(new HeapAnalysis(Reopen())));
        Assert.Single(_notes); // the recomputed section replaced the bad one
        Assert.Equal(1, _walks);
    }

    [Fact]
    public void An_index_of_another_version_is_rebuilt_with_one_note()
    {
        HeapGraph graph = TestGraphs.Random(23);
        string[] expected = Reports(new HeapAnalysis(graph));
        Assert.Equal(expected, Reports(new HeapAnalysis(Open(() => graph))));
        Flip(8); // the format version in the header

        Assert.Equal(expected, Reports(new HeapAnalysis(Open(() => graph))));
        Assert.Equal(2, _walks);
        Assert.Contains("written by another version", Assert.Single(_notes));
        Assert.Equal(expected, Reports(new HeapAnalysis(Reopen())));
        Assert.Single(_notes);
    }

    /// <summary>The retained report as text and JSON at tops below, at and above the graph's object count.</summary>
    private static string[] Reports(HeapAnalysis analysis) =>
    [
        .. new[] { 1, 3, 50 }.SelectMany(top =>
        {
            RetainedSummary summary = RetainedVerb.Run(analysis, new RetainedOptions { Top = top });
            return new[] { TextReport.Retained(summary), JsonReport.Retained(summary) };
        }),
    ];

    private void Flip(long offset)
    {
        using var f = new FileStream(Sidecar, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        int b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ 1));
    }
}

/// <summary>The totals of a <c>diff</c>'s dumps are stored by the index writer thread like its other sections.</summary>
/// <remarks>Alone: write-behind is one per process, and while open it changes how every index is written.</remarks>
[Collection(nameof(RetainedTotalsWriteBehindCollection))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RetainedTotalsWriteBehindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-totals-behind-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Totals_computed_during_a_diff_are_written_behind_and_read_on_reopen()
    {
        string dump = Path.Combine(_dir, "core.9");
        File.WriteAllBytes(dump, Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray());
        HeapGraph graph = TestGraphs.Random(5);
        var notes = new List<string>();
        RetainedTotals written;
        using (IndexWriteBehind.Start())
        {
            var analysis = new HeapAnalysis(GraphIndex.Open(dump, () => graph, notes.Add));
            _ = analysis.Paths;
            written = analysis.Dominators.GetTotals();
        }
        long length = new FileInfo(dump + ".llidx").Length;

        var reopened = new HeapAnalysis(GraphIndex.Open(dump, () => throw new InvalidOperationException("the index must serve this open"), notes.Add));
        RetainedTotals read = reopened.Dominators.GetTotals();
        Assert.Equal(length, new FileInfo(dump + ".llidx").Length);
        Assert.NotSame(written, read);
        RetainedTotalsTests.AssertTotals(reopened.Dominators, reopened.Paths, read, "reopened");
        Assert.Equal(written.Largest, read.Largest);
        Assert.Equal(written.TypeRetained, read.TypeRetained);
        Assert.Equal(written.RootBytes, read.RootBytes);
        Assert.Empty(notes);
    }
}

[CollectionDefinition(nameof(RetainedTotalsWriteBehindCollection), DisableParallelization = true)]
public sealed class RetainedTotalsWriteBehindCollection;
