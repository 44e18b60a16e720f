namespace LeakLab.Core.Errors;

/// <summary>
/// A failure the user can act on: bad input, a dead process, a missing DAC. The message is one line that
/// says what went wrong and what to do; hosts print it without a stack trace. <see cref="Kind"/> says which failure it
/// is, so callers branch on it rather than on the message. Out-of-memory is never wrapped in one.
/// </summary>
public sealed class LeakLabException : Exception
{
    public LeakLabException(LeakLabErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    /// <summary>Which failure this is.</summary>
    public LeakLabErrorKind Kind { get; }
}
