namespace LeakLab.Dumps.Internal;

/// <summary>Receives the non-null reference slots of one object from <see cref="GcDescLayout.Walk{TSink}"/>.</summary>
internal interface ISlotSink
{
    /// <param name="offset">Byte offset of the slot from the object's start (its method-table pointer).</param>
    /// <param name="value">The reference stored there (never 0).</param>
    void Slot(int offset, ulong value);
}
