namespace LeakLab.Dumps.Internal;

/// <summary>Receives each object of a heap walk, in ascending address order.</summary>
internal interface IObjectVisitor
{
    /// <summary>True when <see cref="Visit"/> needs all of the object's bytes, not just its header.</summary>
    bool WantsBody(MethodTableInfo type);

    /// <param name="bytes">The object from its method-table pointer on: at least 16 bytes, or all of it when
    /// <see cref="WantsBody"/> said so. Valid only during the call.</param>
    void Visit(ulong address, MethodTableInfo type, ulong size, Generation generation, ReadOnlySpan<byte> bytes);
}
