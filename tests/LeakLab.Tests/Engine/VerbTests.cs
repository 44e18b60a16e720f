using LeakLab.Tests.Notebooks;
using Xunit;

namespace LeakLab.Tests.Engine;

public class VerbTests
{
    [Fact]
    public void Stats_show_the_one_default_of_rows_and_rank_the_named_type_first()
    {
        var heap = new HeapAnalysis(TestGraphs.StaticCache(30));
        StatsAnswer all = StatsVerb.Run(heap, new StatsOptions());
        Assert.Equal(StatsOptions.DefaultTop, all.Top);
        Assert.Equal(["System.Byte[]", TestGraphs.CacheType + "+Entry[]", TestGraphs.CacheType, "System.String"], all.Shown.Select(s => s.Type));
        Assert.Null(all.Unreachable);

        StatsAnswer named = StatsVerb.Run(heap, new StatsOptions { Type = TestGraphs.CacheType, Retained = true, Top = 1 });
        Assert.Equal(TestGraphs.CacheType, Assert.Single(named.Shown).Type);
        Assert.Equal(2, named.Rows.Count);
        Assert.Equal(0, named.Unreachable);

        // The same rows from a graph-less walk (what the CLI reads from a dump) come out the same.
        StatsAnswer walked = StatsVerb.Run(new HeapStatistics(TypeStatistics.Compute(heap.Graph), LoadReport.Of(heap.Graph)), new StatsOptions { Type = TestGraphs.CacheType });
        Assert.Equal(named.Rows.Select(r => (r.Type, r.Count, r.Bytes)), walked.Rows.Select(r => (r.Type, r.Count, r.Bytes)));
        Assert.Throws<LeakLabException>(() => StatsVerb.Run(new HeapStatistics(TypeStatistics.Compute(heap.Graph), LoadReport.Of(heap.Graph)), new StatsOptions { Retained = true }));
    }

    /// <summary>A host's cancel (Ctrl+C, a notebook cell's stop) reaches the analyses each verb runs, and nothing cancelled is kept.</summary>
    [Fact]
    public void Verbs_pass_the_hosts_token_to_the_analyses()
    {
        var cancelled = new CancellationToken(canceled: true);
        var heap = new HeapAnalysis(TestGraphs.StaticCache(3));
        Assert.Throws<OperationCanceledException>(() => StatsVerb.Run(heap, new StatsOptions { Retained = true }, cancelled));
        Assert.Throws<OperationCanceledException>(() => PathsVerb.Run(heap, new PathsOptions { Type = "System.Byte[]" }, VerbHost.Cli, cancelled));
        Assert.Throws<OperationCanceledException>(() => RetainedVerb.Run(heap, new RetainedOptions(), cancelled));
        Assert.False(heap.HasDominators);
        Assert.Throws<OperationCanceledException>(() =>
            DiffVerb.Run([new HeapAnalysis(TestGraphs.StaticCache(3)), new HeapAnalysis(TestGraphs.StaticCache(30))], new DiffOptions(), cancelled));
        InspectionSnapshot[] series = [new(new HeapAnalysis(TestGraphs.StaticCache(3)), null), new(new HeapAnalysis(TestGraphs.StaticCache(30)), null)];
        Assert.Throws<OperationCanceledException>(() => InspectVerb.Run(series, new InspectOptions(), cancelled));

        // Not cancelled, the same calls answer.
        Assert.NotEmpty(PathsVerb.Run(heap, new PathsOptions { Type = "System.Byte[]" }, VerbHost.Cli, CancellationToken.None).Paths);
        Assert.NotEmpty(RetainedVerb.Run(heap, new RetainedOptions(), CancellationToken.None).Objects);
        Assert.Equal(2, InspectVerb.Run(series, new InspectOptions(), CancellationToken.None).Snapshots.Count);
    }

    [Fact]
    public void Paths_errors_name_the_hosts_command()
    {
        var heap = new HeapAnalysis(TestGraphs.StaticCache(3));
        var cli = Assert.Throws<LeakLabException>(() => PathsVerb.Run(heap, new PathsOptions { Type = "Nope" }, VerbHost.Cli));
        Assert.Equal("no type in the dump matches 'Nope'; list the types with 'leaklab stats FILE --type PART_OF_NAME'", cli.Message);
        var notebook = Assert.Throws<LeakLabException>(() => PathsVerb.Run(heap, new PathsOptions { Address = 0x1 }, VerbHost.Notebook("s1")));
        Assert.Equal("0x1 is not the address of an object in snapshot 's1'; take an address from `#!leaklab retained` or from a path's example.", notebook.Message);
        Assert.Throws<LeakLabException>(() => PathsVerb.Run(heap, new PathsOptions(), VerbHost.Cli));
        Assert.Throws<LeakLabException>(() => PathsVerb.Run(heap, new PathsOptions { Type = "Byte", Limit = 0 }, VerbHost.Cli));

        PathsAnswer found = PathsVerb.Run(heap, new PathsOptions { Type = "System.Byte[]" }, VerbHost.Cli);
        Assert.Equal((TestGraphs.CacheRoot, 3), (Assert.Single(found.Paths).RootName, found.Paths[0].Count));
        Assert.Equal("type System.Byte[]", found.Target);
    }

    [Fact]
    public void Retained_diff_and_roots_take_their_defaults_from_one_place()
    {
        HeapAnalysis[] series = [new(TestGraphs.StaticCache(10)), new(TestGraphs.StaticCache(40)), new(TestGraphs.StaticCache(90))];
        Assert.Equal(StatsOptions.DefaultTop, new RetainedOptions().Top);
        Assert.Equal(StatsOptions.DefaultTop, DiffVerb.Run(series, new DiffOptions()).Top);
        Assert.Contains(DiffVerb.Run(series, new DiffOptions()).Comparison.Types, t => t.Type == "System.Byte[]" && t.Growing);
        Assert.Throws<LeakLabException>(() => DiffVerb.Run(series[..1], new DiffOptions()));
        Assert.Equal(TestGraphs.CacheType, RetainedVerb.Run(series[1], new RetainedOptions { Top = 1 }).Objects.Single().Type);
        Assert.Equal([TestGraphs.CacheRoot], RootsVerb.Run(series[0].Graph, new RootsOptions { Kinds = [RootKind.StaticField] }).Roots.Select(r => r.Name));
    }
}
