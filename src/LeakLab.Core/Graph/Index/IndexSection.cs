namespace LeakLab.Core.Graph.Index;

/// <summary>
/// The sections of a graph index file, each framed as [kind u32][crc u32][payload length i64][payload], starting at an
/// 8-byte boundary (zero padding between). The big arrays are <see cref="Array"/> sections of their own, each with its
/// checksum, that the section owning them lists by offset: they are mapped and checked on first use, not on open.
/// </summary>
internal enum IndexSection : uint
{
    /// <summary>Which dump the index was built from (<see cref="DumpIdentity"/>); always first.</summary>
    Identity = 1,
    /// <summary>The heap graph: nodes, references, names, roots; always second.</summary>
    Graph = 2,
    /// <summary>The retention-path forest (<see cref="ShortestPaths"/>), appended once computed.</summary>
    Paths = 3,
    /// <summary>The dominator tree and retained sizes (<see cref="DominatorTree"/>), appended once computed.</summary>
    Dominators = 4,
    /// <summary>The path shape of every object in the retention-path forest, and each shape's object count and first object
    /// (<see cref="PathShapes"/>), appended once computed.</summary>
    Shapes = 5,
    /// <summary>One array's raw bytes, owned by the graph, paths, shapes or dominator section that records its offset.</summary>
    Array = 6,
    /// <summary>The forest from short-lived roots alone (<see cref="ShortestPaths"/>' further paths), appended once computed.</summary>
    ShortLivedPaths = 7,
    /// <summary>The path shapes of the <see cref="ShortLivedPaths"/> forest, appended once computed.</summary>
    ShortLivedShapes = 8,
    /// <summary>What the retained reports read of the dominator tree (<see cref="RetainedTotals"/>), appended once computed.</summary>
    RetainedTotals = 9,
}
