namespace LeakLab.Notebooks.Magic.Commands;

/// <summary><c>#!leaklab sql SELECT ...</c>: the query is the rest of the line and, in a kernel cell, the lines below it up to the next magic command.</summary>
internal sealed record SqlMagicCommand(string Sql) : MagicCommand
{
    public override Task<object?> ExecuteAsync(LeakLabSession session) =>
        Task.Run<object?>(() => session.Sql(Sql));
}

internal sealed class SqlSubcommand : MagicSubcommand
{
    public override string Name => "sql";
    public override string Usage => "#!leaklab sql [--to NAME] SELECT ... (the query may go on the lines below; tables: snapshots, types, roots, objects, refs)";
    public override string Description => "Run SQL over the session's snapshot tables.";
    public override bool HasTable => true;
    public override bool TakesRawText => true;

    public override MagicCommand Parse(MagicArguments args)
    {
        string sql = args.RawText.Trim();
        if (sql.Length == 0)
            throw args.Fail("the query is missing");
        return new SqlMagicCommand(sql);
    }
}
