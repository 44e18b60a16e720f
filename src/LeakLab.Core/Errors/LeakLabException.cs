namespace LeakLab;

/// <summary>
/// A failure the user can act on: bad input, a dead process, a missing DAC. The message is one line that
/// says what went wrong and what to do; hosts print it without a stack trace.
/// </summary>
public sealed class LeakLabException : Exception
{
    public LeakLabException(string message, Exception? inner = null) : base(message, inner) { }
}
