namespace LeakLab.Testing.Tests;

/// <summary>How one GC's events move, keep or free tracked addresses (hand-built event sequences in the runtime's order).</summary>
public sealed class GcMovesTests
{
    private const int Poh = 4, Loh = 3;

    [Fact]
    public void A_compacting_gen1_GC_moves_survivors_frees_the_rest_and_leaves_gen2_and_the_LOH_alone()
    {
        var gc = new GcMoves(index: 7, depth: 1, background: false);
        // Start ranges, from the POH down to gen 0 ...
        gc.AddRange(Poh, 0x1000, 0x100);
        gc.AddRange(Loh, 0x2000, 0x1000);
        gc.AddRange(2, 0x10000, 0x1000);
        gc.AddRange(1, 0x20000, 0x1000);
        gc.AddRange(0, 0x30000, 0x1000);
        // ... what moved ...
        gc.AddMove(0x20100, 0x11000, 0x80);
        gc.AddMove(0x30000, 0x11080, 0x40);
        // ... and the end ranges, which must not count as start ranges.
        gc.AddRange(Poh, 0x1000, 0x100);
        gc.AddRange(2, 0x10000, 0x1100);
        gc.AddRange(0, 0x40000, 0x10);

        ulong[] addresses = [0x1010, 0x2010, 0x10010, 0x20100, 0x20140, 0x20200, 0x30020, 0x30100, 0x40000, 0];
        gc.Apply(addresses);

        Assert.Equal([0x1010UL, 0x2010, 0x10010, 0x11000, 0x11040, 0, 0x110a0, 0, 0x40000, 0], addresses);
    }

    [Fact]
    public void A_sweeping_gen2_GC_keeps_survivors_in_place_and_frees_large_objects_nobody_holds()
    {
        var gc = new GcMoves(index: 8, depth: 2, background: false);
        gc.AddRange(Loh, 0x2000, 0x1000);
        gc.AddRange(2, 0x10000, 0x1000);
        gc.AddSurvivors(0x2000, 0x100);
        gc.AddSurvivors(0x10000, 0x200);

        ulong[] addresses = [0x2000, 0x2800, 0x10100, 0x10800];
        gc.Apply(addresses);

        Assert.Equal([0x2000UL, 0, 0x10100, 0], addresses);
    }
}
