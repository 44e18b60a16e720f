namespace LeakLab;

/// <summary>
/// The exact dominator tree of a heap graph under one virtual root above all roots, and the retained sizes it implies.
/// </summary>
public sealed class DominatorTree
{
    /// <summary>The immediate dominator of objects held directly by roots.</summary>
    public const int VirtualRoot = -1;
    /// <summary>The immediate dominator reported for objects no root reaches.</summary>
    public const int Unreachable = -2;

    private DominatorTree() { }

    public static DominatorTree Compute(HeapGraph graph) => throw new NotImplementedException("H3");

    public HeapGraph Graph => throw new NotImplementedException("H3");
    public int ImmediateDominator(int node) => throw new NotImplementedException("H3");
    public bool IsReachable(int node) => throw new NotImplementedException("H3");
    /// <summary>Bytes freed if this object became unreachable (0 for unreachable objects).</summary>
    public long RetainedSize(int node) => throw new NotImplementedException("H3");
    /// <summary>Objects freed if this object became unreachable, itself included.</summary>
    public long RetainedCount(int node) => throw new NotImplementedException("H3");
    /// <summary>Dominators from the node's immediate dominator up to (not including) the virtual root.</summary>
    public IReadOnlyList<int> DominatorChain(int node) => throw new NotImplementedException("H3");
    /// <summary>What would be freed if all instances of the type went away.</summary>
    public long RetainedSizeOfType(int typeId) => throw new NotImplementedException("H3");
    /// <summary>Retained bytes and objects of each root, in <see cref="HeapGraph.Roots"/> order.</summary>
    public (long Bytes, long Count) RetainedByRoot(int rootIndex) => throw new NotImplementedException("H3");
    public long UnreachableCount => throw new NotImplementedException("H3");
    public long UnreachableBytes => throw new NotImplementedException("H3");
    /// <summary>Reachable objects ordered by retained size, largest first.</summary>
    public IReadOnlyList<int> TopObjects(int count) => throw new NotImplementedException("H3");
}
