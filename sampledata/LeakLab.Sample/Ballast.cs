namespace LeakLab.Sample;

/// <summary>
/// Extra live objects (<c>--ballast N</c>) so a benchmark can reach millions of objects. Each node plus its small
/// array is two objects. Nodes form short chains (not one long list) so retention paths to them stay short.
/// </summary>
public static class Ballast
{
    private const int ChainLength = 64;

    /// <summary>Heads of the chains; a static field, so everything here stays alive until the process exits.</summary>
    public static BallastNode[]? Chains;

    public static void Allocate(long objects)
    {
        long nodes = objects / 2;
        var heads = new BallastNode[(nodes + ChainLength - 1) / ChainLength];
        long made = 0;
        for (int c = 0; c < heads.Length; c++)
        {
            BallastNode? next = null;
            for (int i = 0; i < ChainLength && made < nodes; i++, made++)
                next = new BallastNode(next, made);
            heads[c] = next!;
        }
        Chains = heads;
    }
}

public sealed class BallastNode
{
    public readonly BallastNode? Next;
    public readonly long[] Values;

    public BallastNode(BallastNode? next, long seed)
    {
        Next = next;
        Values = [seed, seed * 31];
    }
}
