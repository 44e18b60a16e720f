namespace LeakLab;

/// <summary>
/// A distinct shape of shortest retention path from a named root, with how many target objects share it.
/// </summary>
public sealed record RetentionPath(RootKind RootKind, string RootName, IReadOnlyList<PathStep> Steps, int Count, ulong ExampleAddress)
{
    /// <summary>"static Cache -> Dictionary._entries -> Entry[] [] -> Byte[]" style one-liner.</summary>
    public string Shape => string.Join(" -> ", Steps.Select(s =>
        (s.Field is null ? s.Type : $".{s.Field} {s.Type}") + (s.Repeat > 1 ? $" (x{s.Repeat})" : "")));
}
