using System.Runtime.CompilerServices;

namespace LeakLab.Testing.Tests;

public sealed class CollectedTests
{
    private const string Ns = "LeakLab.Testing.Tests";

    [Fact]
    public void Passes_when_the_object_is_garbage() => LeakAssert.Collected(MakeGarbage(), MakeGarbage());

    [Fact]
    public void Finds_the_one_survivor_by_address_among_many_of_its_type()
    {
        // 200 markers share one path shape (the list); by type, the explanation would show that one.
        for (int i = 0; i < 200; i++)
            MarkerHolders.Many.Add(new Marker());
        WeakReference kept = Hold();

        var failure = Assert.Throws<LeakAssertionException>(() => LeakAssert.Collected(kept, MakeGarbage()));

        Assert.StartsWith($"1 of 2 objects expected to be garbage is still alive after a full GC:\n  {Ns}.Marker  x1\n", failure.Message);
        RetentionPath path = Assert.IsType<RetentionPath>(failure.Path);
        Assert.Equal($"{Ns}.MarkerHolders.Second", path.RootName);
        Assert.Equal(2, path.Steps.Count);
        Assert.Equal("Value", path.Steps[1].Field);
        Assert.Contains("(this object;", failure.Message);
    }

    [Fact]
    public void Rejects_no_references() => Assert.Throws<ArgumentException>(() => LeakAssert.Collected());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MakeGarbage() => new(new Marker());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Hold()
    {
        MarkerHolders.First = new Box { Value = new Marker() };
        MarkerHolders.Second = new Box { Value = new Marker() };
        return new WeakReference(MarkerHolders.Second.Value);
    }
}

public sealed class Marker
{
    public readonly byte[] Payload = new byte[64];
}

public sealed class Box
{
    public Marker? Value;
}

public static class MarkerHolders
{
    public static readonly List<Marker> Many = [];
    public static Box? First;
    public static Box? Second;
}
