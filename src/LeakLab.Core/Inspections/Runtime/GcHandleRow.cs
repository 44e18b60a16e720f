namespace LeakLab.Core.Inspections.Runtime;

/// <summary>Strong GC handles of one kind (strong, pinned, async pinned, ref-counted, sized-ref, dependent) holding objects of one type.</summary>
public sealed record GcHandleRow(string Kind, string HeldType, long Count, long Bytes);
