using DuckDB.NET.Data;

namespace LeakLab.Query;

/// <summary>
/// Bulk loads of the objects and refs rows through DuckDB's appender: integers only (type, generation and field as
/// ids), written straight into the appender's column vectors; the names go into small tables the views join in
/// (<see cref="SchemaSql.BigTables"/>).
/// </summary>
internal static class BigTableLoader
{
    private const int ProgressEvery = 65_536;

    /// <summary>Names of every generation value, for the generation_names table the objects view joins.</summary>
    public static void InsertGenerationNames(DuckDBConnection conn)
    {
        using var names = conn.CreateAppender("heap", "generation_names");
        for (int i = 0; i < 256; i++)
            names.CreateRow().AppendValue((byte)i).AppendValue(GenerationName((Generation)i)).EndRow();
    }

    public static void InsertObjects(DuckDBConnection conn, int snapshotId, HeapGraph g, DominatorTree? dom, ref long rows, CancellationToken ct)
    {
        using (var names = conn.CreateAppender("heap", "type_names"))
        {
            for (int t = 0; t < g.TypeCount; t++)
                names.CreateRow().AppendValue((long)snapshotId).AppendValue(t).AppendValue(g.TypeName((TypeId)t)).EndRow();
        }

        using var insert = conn.CreateAppender("heap", "object_rows");
        for (int n = 0; n < g.NodeCount; n++)
        {
            var node = (NodeId)n;
            insert.CreateRow()
                .AppendValue((long)snapshotId)
                .AppendValue((long)n)
                .AppendValue(unchecked((long)g.Address(node)))
                .AppendValue((int)g.TypeOf(node))
                .AppendValue((long)g.Size(node))
                .AppendValue((byte)g.GenerationOf(node))
                .AppendValue(dom is null ? null : (long?)dom.RetainedSize(node))
                .EndRow();
            if ((n + 1) % ProgressEvery == 0)
            {
                Interlocked.Add(ref rows, ProgressEvery);
                ct.ThrowIfCancellationRequested();
            }
        }
        Interlocked.Add(ref rows, g.NodeCount % ProgressEvery);
    }

    public static void InsertRefs(DuckDBConnection conn, int snapshotId, HeapGraph g, ref long rows, CancellationToken ct)
    {
        var seenFields = new HashSet<int>();
        long done = 0;
        using (var insert = conn.CreateAppender("heap", "ref_rows"))
        {
            for (int n = 0; n < g.NodeCount; n++)
            {
                ReadOnlySpan<NodeId> children = g.Children((NodeId)n);
                if (children.Length == 0)
                    continue;
                ReadOnlySpan<FieldId> fields = g.ChildFields((NodeId)n);
                for (int k = 0; k < children.Length; k++)
                {
                    int field = fields[k];
                    bool known = field != FieldIds.Unknown;
                    if (known)
                        seenFields.Add(field);
                    insert.CreateRow()
                        .AppendValue((long)snapshotId)
                        .AppendValue((long)n)
                        .AppendValue((long)(int)children[k])
                        .AppendValue(known ? (int?)field : null)
                        .EndRow();
                    if (++done % ProgressEvery == 0)
                    {
                        Interlocked.Add(ref rows, ProgressEvery);
                        ct.ThrowIfCancellationRequested();
                    }
                }
            }
        }
        Interlocked.Add(ref rows, done % ProgressEvery);

        using var names = conn.CreateAppender("heap", "field_names");
        foreach (int field in seenFields)
            names.CreateRow().AppendValue((long)snapshotId).AppendValue(field).AppendValue(g.FieldName((FieldId)field)).EndRow();
    }

    internal static string GenerationName(Generation g) => g switch
    {
        Generation.Gen0 => "gen0",
        Generation.Gen1 => "gen1",
        Generation.Gen2 => "gen2",
        Generation.Large => "loh",
        Generation.Pinned => "poh",
        Generation.Frozen => "frozen",
        _ => "unknown",
    };
}
