namespace LeakLab.Engine.Verbs;

/// <summary>Checks shared by the verbs' options: one wording for every host.</summary>
internal static class VerbOptions
{
    /// <summary>A row or shape count must be positive; <paramref name="option"/> is its option name without dashes.</summary>
    public static int Positive(int value, string option) =>
        value > 0 ? value : throw new LeakLabException(LeakLabErrorKind.BadArgument, $"--{option} must be a positive number, got {value}");
}
