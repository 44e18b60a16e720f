
namespace LeakLab.Tests.Notebooks;

/// <summary>Hand-built heap graphs shaped like the S01 static-cache leak.</summary>
internal static class TestGraphs
{
    public const string CacheType = "System.Collections.Generic.Dictionary<System.String, System.Byte[]>";
    public const string CacheRoot = "LeakLab.Sample.OrderCache.Entries";

    /// <summary>A static dictionary holding <paramref name="leaked"/> byte[1024] payloads, plus some unrelated objects.</summary>
    public static HeapGraph StaticCache(int leaked, string label = "test", string? hostileName = null)
    {
        var b = new HeapGraphBuilder();
        NodeId dict = b.AddNode(CacheType, 80, Generation.Gen2);
        NodeId entries = b.AddNode(CacheType + "+Entry[]", 24 + 24L * leaked, Generation.Large);
        b.AddEdge(dict, entries, "_entries");
        for (int i = 0; i < leaked; i++)
        {
            NodeId payload = b.AddNode("System.Byte[]", 1048, Generation.Gen2);
            b.AddEdge(entries, payload, (FieldId)FieldIds.ArrayElement);
        }
        NodeId other = b.AddNode("System.String", 40);
        b.AddRoot(RootKind.StaticField, CacheRoot, dict);
        b.AddRoot(RootKind.ThreadStack, "thread 1 (os 0x1): Program.Main", other);
        if (hostileName is not null)
        {
            NodeId evil = b.AddNode(hostileName, 64);
            NodeId inner = b.AddNode("System.Object", 24);
            b.AddEdge(evil, inner, hostileName);
            b.AddRoot(RootKind.StaticField, hostileName, evil);
        }
        return b.Build(SnapshotInfo.HandBuilt(label));
    }
}
