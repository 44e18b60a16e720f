namespace LeakLab.Core.Graph;

/// <summary>
/// One root of the heap graph: the node it keeps alive, what kind of root it is and a human name
/// (<c>Namespace.Type.Field</c>, <c>thread #3 (os 0x1a2b) in Program.Worker</c>, <c>strong handle 0x7f..</c>).
/// </summary>
public readonly record struct HeapRoot(RootKind Kind, string Name, NodeId Node);
