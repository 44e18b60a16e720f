namespace LeakLab.Notebooks.Magic;

/// <summary>
/// A parsed, validated <c>#!leaklab</c> command. Each subcommand is one record (its typed arguments) plus one
/// <see cref="MagicSubcommand"/> (its syntax), registered in <see cref="MagicCommandRegistry"/>.
/// </summary>
internal abstract record MagicCommand
{
    /// <summary>
    /// The C# variable a kernel host sets to the result's main DataFrame (<c>--to NAME</c>), or null. Other tables of the
    /// result go to NAME_table (e.g. <c>d_roots</c>). Hosts without C# variables ignore it.
    /// </summary>
    public string? To { get; init; }

    /// <summary>Runs the command against a session and returns the value to display (null for none).</summary>
    public abstract Task<object?> ExecuteAsync(LeakLabSession session);

    /// <summary>
    /// Runs the command; a cancelled token (the notebook's cell cancel) stops the analysis it runs with
    /// <see cref="OperationCanceledException"/>. Commands that run no long analysis ignore the token.
    /// </summary>
    public virtual Task<object?> ExecuteAsync(LeakLabSession session, CancellationToken cancellationToken) => ExecuteAsync(session);
}
