using Microsoft.Diagnostics.Runtime;

namespace LeakLab.EventPipe;

/// <summary>
/// Finds the declaring type of each static field slot in a live process, keyed by the slot's address.
/// </summary>
/// <remarks>
/// GCBulkRootStaticVar events give the field's name, the slot's address (GCRootID) and the type of the object in it,
/// but not the type that declares the field (the runtime's BulkStaticsLogger logs the object's type handle). Without it,
/// roots could not be named <c>Namespace.Type.Field</c> as the dump loader names them. ClrMD reads the same slots from
/// the process's memory through the DAC, so the slot address joins the two. It attaches without suspending: statics live
/// in pinned memory and only loaded, already-initialised types are read, so the target never stops for this. It runs
/// alongside the EventPipe session (about 0.5–1 s, mostly loading the DAC), and any failure only costs the type names.
/// </remarks>
internal static class StaticFieldOwners
{
    public static Task<IReadOnlyDictionary<ulong, string>> StartResolving(int pid, CancellationToken cancel) =>
        Task.Run(() => Resolve(pid, cancel), cancel);

    private static IReadOnlyDictionary<ulong, string> Resolve(int pid, CancellationToken cancel)
    {
        var owners = new Dictionary<ulong, string>();
        try
        {
            using DataTarget target = DataTarget.AttachToProcess(pid, suspend: false);
            if (target.ClrVersions.FirstOrDefault() is not ClrInfo clr)
                return owners;
            // The DAC beside the libcoreclr.so the process runs: ClrMD 4.2 reads the runtime's version as 0.0 on Linux
            // and then refuses every DAC as "mismatched", so the match is by place, not by version.
            string dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "", "libmscordaccore.so");
            using ClrRuntime runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
            ClrAppDomain? domain = runtime.AppDomains.FirstOrDefault() ?? runtime.SystemDomain;
            if (domain is null)
                return owners;
            foreach (ClrModule module in runtime.EnumerateModules())
            {
                cancel.ThrowIfCancellationRequested();
                try
                {
                    foreach (ClrType type in module.EnumerateTypesWithStaticFields())
                    {
                        string? name = null;
                        foreach (ClrStaticField field in type.StaticFields)
                        {
                            // Struct statics are boxed, and their slot holds the box: the event reports those too.
                            if (!field.IsObjectReference && field.ElementType != ClrElementType.Struct)
                                continue;
                            ulong slot = field.GetAddress(domain);
                            if (slot != 0)
                                owners.TryAdd(slot, name ??= TypeNameNormalizer.Normalize(type.Name ?? "?"));
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A module the DAC cannot read (still loading, or unloading) costs its names only.
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No DAC, no access, the process exited: the snapshot keeps field names without their types.
        }
        return owners;
    }
}
