namespace LeakLab;

/// <summary>
/// The syntax of one <c>#!leaklab</c> subcommand: name, usage line, options, and how its tokens become a typed
/// <see cref="MagicCommand"/>. Hosts (the headless runner, the .NET Interactive extension) read these to
/// register completions; all parsing and validation stays here so every host behaves the same.
/// </summary>
public abstract class MagicSubcommand
{
    public abstract string Name { get; }
    /// <summary>One line: "#!leaklab stats [SNAPSHOT] [--top N] [--type T] [--retained]".</summary>
    public abstract string Usage { get; }
    public abstract string Description { get; }
    public virtual IReadOnlyList<MagicOption> Options => [];
    /// <summary>Largest number of positional arguments; 0 for none.</summary>
    public virtual int MaxPositional => 0;
    /// <summary>True when the rest of the text is taken verbatim (sql), not split into options.</summary>
    public virtual bool TakesRawText => false;

    /// <summary>Builds the typed command; throw through <see cref="MagicArguments.Fail"/> on a bad argument.</summary>
    public abstract MagicCommand Parse(MagicArguments args);
}
