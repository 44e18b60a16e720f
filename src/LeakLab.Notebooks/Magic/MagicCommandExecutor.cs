namespace LeakLab.Notebooks.Magic;

/// <summary>Parses <c>#!leaklab</c> text and runs it against a session.</summary>
internal sealed class MagicCommandExecutor
{
    private readonly MagicCommandParser _parser;

    public MagicCommandExecutor(LeakLabSession session, MagicCommandParser? parser = null)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        _parser = parser ?? new MagicCommandParser();
    }

    public LeakLabSession Session { get; }

    /// <summary>Parses then runs one command; returns the value to display, or null.</summary>
    public Task<object?> ExecuteAsync(string text, CancellationToken cancellationToken = default) =>
        ExecuteAsync(_parser.Parse(text), cancellationToken);

    public Task<object?> ExecuteAsync(MagicCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.ExecuteAsync(Session, cancellationToken);
    }
}
