namespace LeakLab;

/// <summary><c>#!leaklab sql SELECT ...</c>: the query is the rest of the line (or, in a cell, the lines below).</summary>
public sealed record SqlCommand(string Sql) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.Run<object?>(() => session.Sql(Sql));
}

public sealed class SqlSubcommand : MagicSubcommand
{
    public override string Name => "sql";
    public override string Usage => "#!leaklab sql SELECT ... (tables: snapshots, types, roots, objects, refs)";
    public override string Description => "Run SQL over the session's snapshot tables.";
    public override bool TakesRawText => true;

    public override MagicCommand Parse(MagicArguments args)
    {
        string sql = args.RawText.Trim();
        if (sql.Length == 0)
            throw args.Fail("the query is missing");
        return new SqlCommand(sql);
    }
}
