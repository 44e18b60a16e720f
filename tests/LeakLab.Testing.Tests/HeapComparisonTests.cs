using System.Runtime.CompilerServices;

namespace LeakLab.Testing.Tests;

public sealed class HeapComparisonTests
{
    [Fact]
    public void Counts_new_survived_and_dead_objects_although_a_compacting_GC_moves_the_survivors()
    {
        WidgetStore.Fill(500);
        ulong addressBefore = 0, addressAfter = 0;

        HeapDifference difference = HeapComparison.Run(() =>
        {
            addressBefore = AddressOf(WidgetStore.Kept[^1]);
            WidgetStore.Kept.RemoveRange(0, 200); // 200 die, and leave holes below the other 300
            WidgetStore.Add(150);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            addressAfter = AddressOf(WidgetStore.Kept[^151]);
        });

        Assert.NotEqual(addressBefore, addressAfter); // the survivors really moved
        Assert.True(difference.Followed);
        Assert.Equal(new TypeDifference("LeakLab.Testing.Tests.Widget", Before: 500, After: 450, New: 150, Survived: 300, Dead: 200, AfterBytes: 450 * 24),
            difference.Of(typeof(Widget)));
        Assert.Contains("LeakLab.Testing.Tests.Widget", difference.ToTable());
    }

    [Fact]
    public void An_untouched_type_shows_no_change() =>
        Assert.Equal(0, HeapComparison.Run(() => WidgetStore.Add(0)).Of(typeof(Widget)) is { New: 0, Dead: 0 } ? 0 : 1);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong AddressOf(object o) => (ulong)Unsafe.As<object, nint>(ref o);
}

public sealed class Widget
{
    public long Id;
}

public static class WidgetStore
{
    public static readonly List<Widget> Kept = [];

    private static readonly List<byte[]> s_spacers = [];

    /// <summary>Starts over with <paramref name="count"/> widgets, each followed by a spacer that dies at once.</summary>
    public static void Fill(int count)
    {
        Kept.Clear();
        for (int i = 0; i < count; i++)
        {
            Kept.Add(new Widget { Id = i });
            s_spacers.Add(new byte[100]);
        }
        s_spacers.Clear();
    }

    public static void Add(int count)
    {
        for (int i = 0; i < count; i++)
            Kept.Add(new Widget { Id = -i });
    }
}
