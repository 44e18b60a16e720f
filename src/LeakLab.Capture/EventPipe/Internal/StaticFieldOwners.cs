using System.Globalization;
using LeakLab.Dumps.Internal;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// The statics of a live process as the dump loader reads them (<see cref="StaticSlots"/>, shared source): the
/// declaring type of each slot the runtime's events report, and the statics its events leave out.
/// </summary>
/// <param name="Owners">Declaring type name by slot address, for the GCBulkRootStaticVar events.</param>
/// <param name="Slots">Every static slot ClrMD reads, with the object in it and that object's type name.</param>
internal sealed record StaticFieldOwners(IReadOnlyDictionary<ulong, string> Owners, IReadOnlyList<(StaticSlot Slot, string ObjectType)> Slots)
{
    // The reader's own limit; the snapshot waits less (HeapSnapshotCapture) and kills it when it gives up.
    private static readonly TimeSpan s_readerDeadline = TimeSpan.FromSeconds(60);

    public static StaticFieldOwners None { get; } = new(new Dictionary<ulong, string>(), []);

    /// <remarks>
    /// GCBulkRootStaticVar events give the field's name, the slot's address (GCRootID) and the type of the object in it,
    /// but not the type that declares the field (the runtime's BulkStaticsLogger logs the object's type handle); and the
    /// runtime logs only the statics of each module's typedefs: no closed generic instantiation
    /// (<c>Registry&lt;Invoice&gt;.Items</c>) and no thread static. ClrMD reads the same slots from the process's memory
    /// through the DAC, so the slot address joins the two, and the statics the events leave out are added with the
    /// object their slot holds. It reads in a child process (<see cref="DacReaderProcess"/>: a DAC call on a running
    /// process may never return) without suspending, after the snapshot's GC (so the slots hold the addresses that GC
    /// left, the snapshot's); an object whose address or type disagrees with the snapshot is left out rather than
    /// guessed. Any failure only costs the names. Null when the reader cannot start.
    /// </remarks>
    public static DacReaderProcess? StartReading(int pid) =>
        DacReaderProcess.Start("statics", pid.ToString(CultureInfo.InvariantCulture), s_readerDeadline);

    /// <summary>
    /// The reader's answer, waiting at most <paramref name="timeout"/> (the reader is killed past it); <see cref="None"/>
    /// when it gave none.
    /// </summary>
    public static StaticFieldOwners Finish(DacReaderProcess? reader, TimeSpan timeout) =>
        reader?.Wait(timeout) is { } lines ? Parse(lines) : None;

    /// <summary>Reads the reader's "KIND\tSLOT\tOBJECT\tOBJECT-TYPE\tNAME" lines (LeakLab.DacReader's Reads.Statics).</summary>
    internal static StaticFieldOwners Parse(IReadOnlyList<string> lines)
    {
        var owners = new Dictionary<ulong, string>();
        var read = new List<(StaticSlot, string)>(lines.Count);
        foreach (string line in lines)
        {
            string[] f = line.Split('\t', 5);
            if (f.Length < 5 || !byte.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out byte kind)
                || !ulong.TryParse(f[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong address)
                || !ulong.TryParse(f[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong obj))
                continue;
            var slot = new StaticSlot((RootKind)kind, f[4], address, obj);
            // "Ns.Type.Field" or "Ns.Type.Field (thread N)": the declaring type is everything before the field.
            int thread = slot.Name.LastIndexOf(" (thread ", StringComparison.Ordinal);
            string name = slot.Kind == RootKind.ThreadStaticField && thread > 0 ? slot.Name[..thread] : slot.Name;
            int dot = name.LastIndexOf('.');
            if (dot > 0 && slot.Kind == RootKind.StaticField)
                owners.TryAdd(slot.Slot, name[..dot]);
            read.Add((slot, f[3]));
        }
        return new StaticFieldOwners(owners, read);
    }
}
