namespace LeakLab.Notebooks.Magic;

/// <summary>A named option of a subcommand: <c>--top N</c> (with a value) or <c>--retained</c> (a flag).</summary>
/// <param name="Name">With the dashes: "--top".</param>
/// <param name="ValueName">The placeholder shown in usage ("N"); null for a flag.</param>
internal sealed record MagicOption(string Name, string? ValueName, string Description)
{
    public bool IsFlag => ValueName is null;
    public override string ToString() => IsFlag ? Name : $"{Name} {ValueName}";
}
