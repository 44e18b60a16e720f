namespace LeakLab.Notebooks.Magic;

/// <summary>The <c>(--pid N | --name P)</c> pair of subcommands that act on a running process (dump, snapshot, watch).</summary>
internal static class ProcessTarget
{
    public static MagicOption Pid { get; } = new("--pid", "N", "Process id.");
    public static MagicOption Name { get; } = new("--name", "P", "Process name or main dll name.");

    /// <summary>The options of a subcommand that captures one process into a named snapshot (dump, snapshot).</summary>
    public static IReadOnlyList<MagicOption> CaptureOptions { get; } =
    [
        Pid,
        Name,
        new("--as", "NAME", "Snapshot name (default: s1, s2, ...)."),
    ];

    /// <summary>Exactly one of the two: the pid or the name, the other null.</summary>
    /// <exception cref="LeakLabException">Neither or both were given.</exception>
    public static (int? Pid, string? Name) Parse(MagicArguments args)
    {
        bool hasPid = args.Has(Pid.Name), hasName = args.Has(Name.Name);
        if (hasPid == hasName)
            throw args.Fail("give exactly one of --pid or --name");
        return (hasPid ? args.Int(Pid.Name, 0) : null, args.String(Name.Name));
    }
}
