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
    public void Without_a_dump_the_path_comes_from_an_EventPipe_snapshot_with_unnamed_fields()
    {
        WeakReference kept = HoldLonely();
        Environment.SetEnvironmentVariable("LEAKLAB_TESTING_PATHS", "eventpipe");
        LeakAssertionException failure;
        try
        {
            failure = Assert.Throws<LeakAssertionException>(() => LeakAssert.Collected(kept));
        }
        finally
        {
            Environment.SetEnvironmentVariable("LEAKLAB_TESTING_PATHS", null);
        }

        Assert.Contains("from an EventPipe heap snapshot of this process", failure.Message);
        Assert.Contains("fields show as '?' because LEAKLAB_TESTING_PATHS=eventpipe", failure.Message);
        RetentionPath path = Assert.IsType<RetentionPath>(failure.Path);
        Assert.Equal(RootKind.StaticField, path.RootKind);
        Assert.Contains("Lonely", path.RootName); // EventPipe names the field; its declaring type only when ClrMD can read it
        Assert.Equal([$"{Ns}.Box", $"{Ns}.Lonely"], path.Steps.Select(s => s.Type));
        Assert.Equal("?", path.Steps[1].Field);
    }

    [Fact]
    public void Rejects_no_references() => Assert.Throws<ArgumentException>(() => LeakAssert.Collected());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MakeGarbage() => new(new Marker());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference HoldLonely()
    {
        MarkerHolders.Lonely = new Box { Other = new Lonely() };
        return new WeakReference(MarkerHolders.Lonely.Other);
    }

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
    public object? Other;
}

public sealed class Lonely;

public static class MarkerHolders
{
    public static readonly List<Marker> Many = [];
    public static Box? First;
    public static Box? Second;
    public static Box? Lonely;
}
