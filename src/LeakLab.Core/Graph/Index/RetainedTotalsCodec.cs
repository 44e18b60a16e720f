namespace LeakLab.Core.Graph.Index;

/// <summary>
/// The payload of the <see cref="IndexSection.RetainedTotals"/> section: <see cref="RetainedTotals"/> as small inline
/// arrays (per type, per root, per stored large object), read whole on open; no array sections, nothing mapped.
/// </summary>
internal static class RetainedTotalsCodec
{
    public static long Write(IndexWriter w, RetainedTotals t)
    {
        long offset = w.BeginSection(IndexSection.RetainedTotals);
        w.Int64(t.TotalBytes);
        w.Array<long>(t.TypeCounts);
        w.Array<long>(t.TypeBytes);
        w.Array<long>(t.TypeRetained);
        w.Array<long>(t.RootBytes);
        w.Array<long>(t.RootCounts);
        w.Array<int>(t.RootTypes);
        w.Array<ulong>(t.RootAddresses);
        RetainedTotals.LargeObject[] largest = t.Largest;
        w.Array<int>([.. largest.Select(o => o.Node)]);
        w.Array<int>([.. largest.Select(o => o.Type)]);
        w.Array<ulong>([.. largest.Select(o => o.Address)]);
        w.Array<long>([.. largest.Select(o => o.Size)]);
        w.Array<long>([.. largest.Select(o => o.Retained)]);
        w.Array<long>([.. largest.Select(o => o.RetainedCount)]);
        w.EndSection();
        return offset;
    }

    /// <exception cref="IndexCorruptException">The figures do not fit the graph.</exception>
    public static RetainedTotals Read(IndexReader r, HeapGraph g)
    {
        long totalBytes = r.Int64();
        long[] typeCounts = r.Array<long>(), typeBytes = r.Array<long>(), typeRetained = r.Array<long>();
        long[] rootBytes = r.Array<long>(), rootCounts = r.Array<long>();
        int[] rootTypes = r.Array<int>();
        ulong[] rootAddresses = r.Array<ulong>();
        int[] nodes = r.Array<int>(), types = r.Array<int>();
        ulong[] addresses = r.Array<ulong>();
        long[] sizes = r.Array<long>(), retained = r.Array<long>(), counts = r.Array<long>();
        int n = nodes.Length;
        if (typeCounts.Length != g.TypeCount || typeBytes.Length != g.TypeCount || typeRetained.Length != g.TypeCount
            || rootBytes.Length != g.Roots.Count || rootCounts.Length != g.Roots.Count || rootTypes.Length != g.Roots.Count
            || rootAddresses.Length != g.Roots.Count || types.Length != n || addresses.Length != n || sizes.Length != n
            || retained.Length != n || counts.Length != n || n > g.NodeCount
            || nodes.Any(v => (uint)v >= (uint)g.NodeCount) || types.Concat(rootTypes).Any(t => (uint)t >= (uint)g.TypeCount))
            throw new IndexCorruptException("the retained totals do not fit the graph");
        var largest = new RetainedTotals.LargeObject[n];
        for (int i = 0; i < n; i++)
            largest[i] = new RetainedTotals.LargeObject(nodes[i], types[i], addresses[i], sizes[i], retained[i], counts[i]);
        return new RetainedTotals(totalBytes, typeCounts, typeBytes, typeRetained, rootBytes, rootCounts, rootTypes, rootAddresses, largest);
    }
}
