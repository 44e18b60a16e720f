namespace LeakLab.Notebooks.Magic;

/// <summary>
/// The syntax of one <c>#!leaklab</c> subcommand: name, usage line, options, and how its tokens become a typed
/// <see cref="MagicCommand"/>. Hosts (the headless runner, the .NET Interactive extension) read these to
/// register completions; all parsing and validation stays here so every host behaves the same.
/// </summary>
internal abstract class MagicSubcommand
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
    /// <summary>
    /// True when the result converts to DataFrames (<see cref="LeakLabResult.ToDataFrames"/>): the subcommand then also
    /// takes <c>--to NAME</c>, which a kernel host turns into a C# variable (<see cref="MagicCommand.To"/>).
    /// </summary>
    public virtual bool HasTable => false;

    /// <summary><c>--to NAME</c>, accepted by every subcommand whose <see cref="HasTable"/> is true.</summary>
    public static MagicOption ToOption { get; } = new("--to", "NAME", "Also set a C# variable NAME holding the result as a DataFrame.");

    /// <summary><see cref="Options"/> plus <see cref="ToOption"/> when <see cref="HasTable"/>: what hosts declare for completions.</summary>
    public IReadOnlyList<MagicOption> AllOptions => HasTable ? [.. Options, ToOption] : Options;

    /// <summary>Builds the typed command; throw through <see cref="MagicArguments.Fail"/> on a bad argument.</summary>
    public abstract MagicCommand Parse(MagicArguments args);
}
