namespace LeakLab;

/// <summary>
/// A parsed, validated <c>#!leaklab</c> command. Each subcommand is one record (its typed arguments) plus one
/// <see cref="MagicSubcommand"/> (its syntax), registered in <see cref="MagicCommandRegistry"/>.
/// </summary>
public abstract record MagicCommand
{
    /// <summary>Runs the command against a session and returns the value to display (null for none).</summary>
    public abstract Task<object?> ExecuteAsync(LeakLabSession session);
}
