namespace LeakLab.Testing;

/// <summary>
/// Thrown by <see cref="LeakAssert"/> when an assertion fails. Every test framework (xunit, NUnit, MSTest) reports an
/// exception that escapes a test as a failure, so LeakLab.Testing needs none of them.
/// </summary>
/// <remarks>
/// The message is the whole explanation: what survived (by type and count), and for one survivor its shortest retention
/// path from the most lasting root (a static field or a GC handle before a thread's stack), with field names.
/// </remarks>
public sealed class LeakAssertionException : Exception
{
    public LeakAssertionException(string message, RetentionPath? path = null) : base(message) => Path = path;

    /// <summary>The retention path shown in the message, or null when none could be found (see the message for why).</summary>
    public RetentionPath? Path { get; }
}
