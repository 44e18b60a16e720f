using LeakLab.Dumps.Internal;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// The statics of a live process as the dump loader reads them (<see cref="StaticSlots"/>, shared source): the
/// declaring type of each slot the runtime's events report, and the statics its events leave out.
/// </summary>
/// <param name="Owners">Declaring type name by slot address, for the GCBulkRootStaticVar events.</param>
/// <param name="Slots">Every static slot ClrMD reads, with the object in it and that object's type name.</param>
internal sealed record StaticFieldOwners(IReadOnlyDictionary<ulong, string> Owners, IReadOnlyList<(StaticSlot Slot, string ObjectType)> Slots)
{
    public static StaticFieldOwners None { get; } = new(new Dictionary<ulong, string>(), []);

    /// <remarks>
    /// GCBulkRootStaticVar events give the field's name, the slot's address (GCRootID) and the type of the object in it,
    /// but not the type that declares the field (the runtime's BulkStaticsLogger logs the object's type handle); and the
    /// runtime logs only the statics of each module's typedefs: no closed generic instantiation
    /// (<c>Registry&lt;Invoice&gt;.Items</c>) and no thread static. ClrMD reads the same slots from the process's memory
    /// through the DAC, so the slot address joins the two, and the statics the events leave out are added with the
    /// object their slot holds. It attaches without suspending, after the snapshot's GC (so the slots hold the
    /// addresses that GC left, the snapshot's); an object whose address or type disagrees with the snapshot is left
    /// out rather than guessed. Any failure only costs the names.
    /// </remarks>
    public static Task<StaticFieldOwners> StartResolving(int pid, CancellationToken cancel) =>
        Task.Run(() => Resolve(pid, cancel), cancel);

    /// <summary>
    /// The DAC beside the libcoreclr.so the process runs: ClrMD 4.2 reads the runtime's version as 0.0 on Linux and
    /// then refuses every DAC as "mismatched", so the match is by place, not by version.
    /// </summary>
    internal static ClrRuntime CreateRuntime(ClrInfo clr)
    {
        string dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
        return File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
    }

    private static StaticFieldOwners Resolve(int pid, CancellationToken cancel)
    {
        try
        {
            using DataTarget target = DataTarget.AttachToProcess(pid, suspend: false);
            if (target.ClrVersions.FirstOrDefault() is not ClrInfo clr)
                return None;
            using ClrRuntime runtime = CreateRuntime(clr);
            ClrThread[] threads = [.. runtime.Threads.Where(t => t.IsAlive)];
            List<StaticSlot> slots = StaticSlots.Read(runtime, target.DataReader, threads, cancel, out _);
            var owners = new Dictionary<ulong, string>();
            var read = new List<(StaticSlot, string)>(slots.Count);
            foreach (StaticSlot slot in slots)
            {
                // "Ns.Type.Field" or "Ns.Type.Field (thread N)": the declaring type is everything before the field.
                string name = slot.Kind == RootKind.ThreadStaticField ? slot.Name[..slot.Name.LastIndexOf(" (thread ", StringComparison.Ordinal)] : slot.Name;
                int dot = name.LastIndexOf('.');
                if (dot > 0 && slot.Kind == RootKind.StaticField)
                    owners.TryAdd(slot.Slot, name[..dot]);
                string? type = runtime.Heap.GetObjectType(slot.Object)?.Name;
                if (type is not null)
                    read.Add((slot, TypeNameNormalizer.Normalize(type)));
            }
            return new StaticFieldOwners(owners, read);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No DAC, no access, the process exited: the snapshot keeps field names without their types.
            return None;
        }
    }
}
