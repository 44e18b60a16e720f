namespace LeakLab.Engine.Verbs;

/// <summary>
/// How a host spells its commands, so a verb's one-line error tells the user what to type in that host
/// (<c>'leaklab stats FILE --type PART_OF_NAME'</c> in a shell, <c>`#!leaklab stats --type PART_OF_NAME`</c> in a notebook).
/// </summary>
/// <param name="Subject">What the answer is about, for messages: "the dump", "snapshot 's3'".</param>
/// <param name="Command">Turns a verb's command line in CLI form (<c>stats FILE --type PART_OF_NAME</c>) into the host's quoted form.</param>
public sealed record VerbHost(string Subject, Func<string, string> Command)
{
    /// <summary>The CLI: <c>'leaklab paths FILE --type T'</c>.</summary>
    public static VerbHost Cli { get; } = new("the dump", command => $"'leaklab {command}'");

    /// <summary>A notebook (<c>#!leaklab</c>): the file is the session's snapshot, so it is left out.</summary>
    public static VerbHost Notebook(string snapshot) =>
        new($"snapshot '{snapshot}'", command => $"`#!leaklab {string.Join(' ', command.Split(' ').Where(word => word != "FILE"))}`");
}
