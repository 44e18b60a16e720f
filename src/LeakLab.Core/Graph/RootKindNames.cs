namespace LeakLab.Core.Graph;

/// <summary>
/// The words users type for root kinds (<c>--kind static</c>): every <see cref="RootKind"/> name (case, '-' and '_'
/// ignored) plus the groups static, handle, stack and finalizer. One list for every host (CLI, notebooks).
/// </summary>
internal static class RootKindNames
{
    /// <summary>"StaticField, ..., Other, static, handle, stack, finalizer": what an error message should offer.</summary>
    public static string Accepted => string.Join(", ", Enum.GetNames<RootKind>()) + ", static, handle, stack, finalizer";

    /// <summary>The kinds a word names (a group names several), or false for an unknown word.</summary>
    public static bool TryParse(string text, out RootKind[] kinds)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        RootKind[]? alias = key switch
        {
            "static" or "statics" => [RootKind.StaticField, RootKind.ThreadStaticField],
            "handle" or "handles" => [RootKind.StrongHandle, RootKind.PinnedHandle, RootKind.OtherHandle],
            "stack" or "stacks" or "thread" => [RootKind.ThreadStack],
            "finalizer" or "finalizerqueue" => [RootKind.FinalizerQueue],
            _ => null,
        };
        if (alias is null && key.Length > 0 && !char.IsDigit(key[0]) && Enum.TryParse(key, ignoreCase: true, out RootKind kind) && Enum.IsDefined(kind))
            alias = [kind];
        kinds = alias ?? [];
        return alias is not null;
    }
}
