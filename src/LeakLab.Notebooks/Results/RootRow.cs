namespace LeakLab.Notebooks.Results;

/// <summary>One GC root: its kind, human name, and the type and address of the object it holds.</summary>
public sealed record RootRow(RootKind Kind, string Name, string Type, ulong Address);
