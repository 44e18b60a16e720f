namespace LeakLab.Cli;

/// <summary>The command line itself is wrong (a missing or malformed option value): exit code 2, like a parse error.</summary>
internal sealed class UsageException(string message) : Exception(message);
