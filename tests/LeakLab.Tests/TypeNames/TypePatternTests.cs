using Xunit;

namespace LeakLab.Tests.TypeNames;

public class TypePatternTests
{
    private const string Cache = "System.Collections.Generic.Dictionary<System.String, System.Byte[]>";

    /// <summary>
    /// A static cache (dictionary → entries → 3 byte arrays), two CachedOrder types of different namespaces (2 and 1
    /// objects, one of them garbage), a CachedOrder[] and a string.
    /// </summary>
    private static HeapAnalysis Heap()
    {
        var b = new HeapGraphBuilder();
        NodeId dict = b.AddNode(Cache, 80);
        NodeId entries = b.AddNode(Cache + "+Entry[]", 96);
        b.AddEdge(dict, entries, "_entries");
        for (int i = 0; i < 3; i++)
            b.AddEdge(entries, b.AddNode("System.Byte[]", 1048), FieldId.ArrayElement);
        b.AddRoot(RootKind.StaticField, "Shop.OrderCache.Entries", dict);

        NodeId orders = b.AddNode("Shop.CachedOrder[]", 40);
        b.AddRoot(RootKind.StaticField, "Shop.Orders.All", orders);
        b.AddEdge(orders, b.AddNode("Shop.CachedOrder", 32), FieldId.ArrayElement);
        b.AddEdge(orders, b.AddNode("Shop.CachedOrder", 32), FieldId.ArrayElement);
        b.AddNode("Archive.CachedOrder", 32); // garbage: no root reaches it
        b.AddRoot(RootKind.ThreadStack, "thread 1 (os 0x1): Program.Main", b.AddNode("System.String", 40));
        return new HeapAnalysis(b.Build());
    }

    [Theory]
    [InlineData(Cache, TypeMatchKind.Exact)]
    // The case: a reflection-style name (EventPipe, Type.ToString()) names the same type exactly.
    [InlineData("System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]", TypeMatchKind.Exact)]
    [InlineData("System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.Byte[], System.Private.CoreLib]], System.Private.CoreLib", TypeMatchKind.Exact)]
    [InlineData("Dictionary<String, Byte[]>", TypeMatchKind.ShortName)]
    [InlineData("dictionary`2[string,byte[]]", TypeMatchKind.ShortName)]
    [InlineData("Dictionary<System.String", TypeMatchKind.Contains)]
    [InlineData("generic.dictionary", TypeMatchKind.Contains)]
    [InlineData("Dictionary`2[System.String,System.Int32]", TypeMatchKind.None)]
    public void Matches_full_short_and_partial_names_in_that_rank(string pattern, TypeMatchKind expected) =>
        Assert.Equal(expected, new TypePattern(pattern).Match(Cache));

    [Fact]
    public void A_reflection_style_name_selects_the_type_in_paths_FindTypes_and_stats_alike()
    {
        HeapAnalysis heap = Heap();
        const string reflection = "System.Collections.Generic.Dictionary`2[System.String,System.Byte[]]";

        TypeSelection selected = new TypePattern(reflection).Select(heap.Graph, heap.Paths);
        TypeSelection.Match only = Assert.Single(selected.Types);
        Assert.Equal((Cache, TypeMatchKind.Exact, 1L, (long?)1), (only.Type, only.Kind, only.Objects, only.Reachable));
        Assert.True(selected.IsExact);

        Assert.Equal("Shop.OrderCache.Entries", Assert.Single(heap.Paths.PathsToType(reflection)).RootName);
        // FindTypes lists every type the pattern matches in any way: the dictionary and, containing its name, its entries.
        Assert.Equal([Cache, Cache + "+Entry[]"], heap.Graph.FindTypes(reflection).Select(heap.Graph.TypeName));
        Assert.Equal([Cache, Cache + "+Entry[]"], heap.TypeStats(reflection).Select(s => s.Type));
    }

    [Fact]
    public void A_short_name_shared_by_two_namespaces_lists_every_type_it_is_part_of_with_objects_each()
    {
        HeapAnalysis heap = Heap();
        TypeSelection selected = new TypePattern("CachedOrder").Select(heap.Graph, heap.Paths);

        Assert.False(selected.IsExact);
        // Short-name matches lead (most objects first), then the types the name is only part of.
        Assert.Equal(
            [("Shop.CachedOrder", TypeMatchKind.ShortName, 2L, (long?)2), ("Archive.CachedOrder", TypeMatchKind.ShortName, 1L, (long?)0), ("Shop.CachedOrder[]", TypeMatchKind.Contains, 1L, (long?)1)],
            selected.Types.Select(t => (t.Type, t.Kind, t.Objects, t.Reachable)));
        string text = TextReport.TypeSelection(selected);
        Assert.Contains("'CachedOrder' is part of 3 type names", text);
        Assert.Contains("1 of these objects is unreachable", text);
    }

    [Fact]
    public void Exact_and_unique_short_names_select_one_type_only()
    {
        HeapAnalysis heap = Heap();
        Assert.Equal(["Shop.CachedOrder"], new TypePattern("Shop.CachedOrder").Select(heap.Graph).Types.Select(t => t.Type));
        Assert.Equal(["System.String"], new TypePattern("string").Select(heap.Graph).Types.Select(t => t.Type));
        // Paths to an exactly named type leave out the arrays that hold it.
        Assert.Equal(["Shop.Orders.All"], heap.Paths.PathsToType("Shop.CachedOrder").Select(p => p.RootName));
        Assert.Empty(new TypePattern("NoSuchType").Select(heap.Graph).Types);
    }

    [Fact]
    public void Stats_keep_every_match_and_rank_exact_matches_first()
    {
        HeapAnalysis heap = Heap();
        // By bytes the entries array (96) comes before the dictionary (80); the exact match leads anyway.
        Assert.Equal([Cache, Cache + "+Entry[]"], heap.TypeStats(Cache).Select(s => s.Type));
        Assert.Equal([Cache + "+Entry[]", Cache], heap.TypeStats("Generic.Dictionary").Select(s => s.Type));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_pattern_is_an_error_that_says_what_to_pass(string pattern)
    {
        var error = Assert.Throws<LeakLabException>(() => new TypePattern(pattern));
        Assert.Contains("pass a type name or part of one", error.Message);
    }
}
