namespace LeakLab.Dumps.Internal;

/// <summary>A root as read from the dump, before its object is mapped to a node.</summary>
internal readonly record struct RawRoot(RootKind Kind, string Name, ulong Object);
