namespace LeakLab.Core.Errors;

/// <summary>Shapes messages from other tools (ClrMD, the kernel, the runtime) into LeakLab's one-line errors.</summary>
internal static class MessageText
{
    /// <summary>The message on one line: its lines trimmed and joined by single spaces, empty lines dropped.</summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
