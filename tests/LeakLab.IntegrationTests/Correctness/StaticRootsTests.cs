using LeakLab.IntegrationTests.Cli;
using Shop.Caching;
using Xunit.Abstractions;

namespace LeakLab.IntegrationTests.Correctness;

/// <summary>
/// Issue 8, item 1: statics are named wherever the runtime keeps them (generic instantiations, the base library's
/// own generics, value-type statics, thread statics of each kind), on a real process, in a dump.
/// </summary>
public sealed class StaticRootsTests(StaticsTargetFixture target, ITestOutputHelper output) : IClassFixture<StaticsTargetFixture>
{
    private HeapRoot Root(RootKind kind, string name)
    {
        var found = target.Graph.Roots.Where(r => r.Kind == kind && r.Name == name).ToList();
        Assert.True(found.Count == 1, $"expected one {kind} root '{name}'; roots: {string.Join("; ", target.Graph.Roots.Select(r => $"{r.Kind} {r.Name}"))}");
        return found[0];
    }

    [Fact]
    public void Every_kind_of_static_is_a_named_root_in_a_dump()
    {
        HeapGraph g = target.Graph;
        Assert.Equal("System.Collections.Generic.List<Shop.Caching.Invoice>",
            g.NodeTypeName(Root(RootKind.StaticField, "Shop.Caching.Registry<Shop.Caching.Invoice>.Items").Node));
        // A struct static's root is its box; the struct's fields are the next steps.
        Assert.Equal("Shop.Caching.Holder", g.NodeTypeName(Root(RootKind.StaticField, "Shop.Caching.StaticsShape.s_holder").Node));
        Assert.Equal("System.Collections.Generic.ObjectEqualityComparer<Shop.Caching.Invoice>",
            g.NodeTypeName(Root(RootKind.StaticField, "System.Collections.Generic.EqualityComparer<Shop.Caching.Invoice>.<Default>k__BackingField").Node));
        Assert.Equal("Shop.Caching.Registry<Shop.Caching.Invoice>+Index",
            g.NodeTypeName(Root(RootKind.StaticField, "Shop.Caching.Registry<Shop.Caching.Invoice>.Lookup").Node));
        Assert.Equal("System.Collections.Generic.List<Shop.Caching.Ticket>",
            g.NodeTypeName(Root(RootKind.ThreadStaticField, "Shop.Caching.StaticsShape.t_tickets (thread 1)").Node));
        Assert.Equal("Shop.Caching.StaticsShape+CouponBox",
            g.NodeTypeName(Root(RootKind.ThreadStaticField, "Shop.Caching.StaticsShape.t_coupons (thread 1)").Node));
        Assert.Equal("System.Collections.Generic.List<Shop.Caching.Coupon>",
            g.NodeTypeName(Root(RootKind.ThreadStaticField, "Shop.Caching.PerThread<Shop.Caching.Coupon>.Items (thread 1)").Node));
    }

    [Theory]
    [InlineData("Shop.Caching.Invoice", RootKind.StaticField, "Shop.Caching.Registry<Shop.Caching.Invoice>.Items", "System.Collections.Generic.List<Shop.Caching.Invoice>", null, StaticsShape.Invoices)]
    [InlineData("Shop.Caching.Receipt", RootKind.StaticField, "Shop.Caching.StaticsShape.s_holder", "Shop.Caching.Holder", "Receipts", StaticsShape.Receipts)]
    [InlineData("Shop.Caching.Ticket", RootKind.ThreadStaticField, "Shop.Caching.StaticsShape.t_tickets (thread 1)", "System.Collections.Generic.List<Shop.Caching.Ticket>", null, StaticsShape.Tickets)]
    public void Paths_start_at_the_static_even_when_a_stack_frame_also_holds_the_objects(
        string type, RootKind kind, string root, string firstType, string? secondField, int count)
    {
        var paths = new HeapAnalysis(target.Graph).Paths.PathsToType(type);
        RetentionPath first = paths[0];
        Assert.False(first.IsFurther);
        Assert.Equal(kind, first.RootKind);
        Assert.Equal(root, first.RootName);
        Assert.Equal(firstType, first.Steps[0].Type);
        if (secondField is not null)
            Assert.Equal(secondField, first.Steps[1].Field);
        Assert.Equal(count, paths.Where(p => !p.IsFurther && p.RootName == root).Sum(p => p.Count));
    }

    [Fact]
    public async Task A_snapshot_names_the_same_static_roots_as_a_dump()
    {
        // The statics the runtime's events leave out (generic instantiations, thread statics) are read from the live
        // process after the snapshot's GC and matched by address and type; one CI run (session 5) missed the generic
        // ones once. Up to three snapshots, each difference printed, so an intermittent miss is seen, not hidden.
        var misses = new List<string>();
        for (int attempt = 1; ; attempt++)
        {
            var progress = new List<string>();
            HeapGraph snapshot = await Task.Run(() => HeapSnapshotCapture.Capture(target.Target.Pid, new HeapSnapshotOptions { Progress = new Lines(progress) }));
            // A dump taken after the snapshot: the EventPipe session itself initialises statics of the runtime
            // (RuntimeType.StringType, CultureInfo...), which a dump taken before it would not have.
            string after = await target.Target.DumpAsync($"after-snapshot-{attempt}");
            HeapGraph dump = await Task.Run(() => DumpLoader.Load(after));
            File.Delete(after);
            HashSet<string> fromDump = Statics(dump), fromSnapshot = Statics(snapshot);
            var ours = fromDump.Where(n => n.Contains("Shop.Caching", StringComparison.Ordinal)).Order().ToList();
            Assert.True(ours.Count >= 8, string.Join("\n", ours)); // the seven shapes of the target, and generic statics of the base library over its types
            Assert.Contains("StaticField Shop.Caching.Registry<Shop.Caching.Invoice>.Lookup", ours); // a nested type of a generic type
            var snapshotOurs = fromSnapshot.Where(n => n.Contains("Shop.Caching", StringComparison.Ordinal)).Order().ToList();
            // Every static the snapshot names, a dump names alike. (Not the converse: the session initialises statics of
            // the runtime after the snapshot's GC, which only the later dump holds.)
            var unknown = fromSnapshot.Except(fromDump).ToList();
            if (ours.SequenceEqual(snapshotOurs) && unknown.Count == 0)
            {
                foreach (string miss in misses)
                    output.WriteLine(miss);
                return;
            }
            misses.Add($"attempt {attempt}: dump only: {string.Join("; ", ours.Except(snapshotOurs))}; snapshot only: {string.Join("; ", unknown)}; progress: {string.Join(" | ", progress)}");
            Assert.True(attempt < 3, string.Join("\n", misses));
        }

        static HashSet<string> Statics(HeapGraph g) =>
            [.. g.Roots.Where(r => r.Kind is RootKind.StaticField or RootKind.ThreadStaticField).Select(r => $"{r.Kind} {r.Name}")];
    }

    private sealed class Lines(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
                lines.Add(value);
        }
    }

    [Fact]
    public void Roots_kind_static_lists_the_generic_and_struct_statics()
    {
        CliResult result = CliRun.InProcess("roots", target.DumpPath, "--kind", "static", "--full-names", "--width", "300");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Shop.Caching.Registry<Shop.Caching.Invoice>.Items", result.Stdout);
        Assert.Contains("Shop.Caching.StaticsShape.s_holder", result.Stdout);
        Assert.Contains("Shop.Caching.StaticsShape.t_tickets (thread 1)", result.Stdout); // "static" takes thread statics too
    }
}
