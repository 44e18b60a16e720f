
namespace LeakLab.Dumps;

/// <summary>
/// Reads heap dumps (ELF core files from createdump / <c>leaklab dump</c>) with ClrMD into LeakLab's model.
/// </summary>
/// <remarks>
/// The heap is read in large blocks and decoded here (sizes from the method tables, references from each type's
/// GCDesc); ClrMD supplies the segments, types, field names and roots. Bad input of any kind surfaces as a
/// <see cref="LeakLabException"/> whose one-line message says what to do.
/// </remarks>
public static class DumpLoader
{
    /// <summary>
    /// Loads every object on the GC heap (type, size, generation), every reference with its field name, and the
    /// roots (static fields first, then thread statics, handles, thread stacks, finalizer queue).
    /// </summary>
    /// <remarks>
    /// Objects that cannot be read (damaged memory) are skipped up to the next valid object; what was skipped, and the
    /// roots that could not be resolved, are in <see cref="SnapshotInfo.Load"/> of the result, so a caller can say so.
    /// Too much damage fails instead.
    /// </remarks>
    /// <exception cref="LeakLabException">The file is missing, not a dump, cut short or corrupt, has no .NET runtime,
    /// its DAC cannot be found, its heap was caught mid-GC, or more than half of its heap cannot be read.</exception>
    public static HeapGraph Load(string path, DumpLoadOptions? options = null)
    {
        options ??= new DumpLoadOptions();
        using DumpSession session = DumpSession.Open(path, options);
        try
        {
            return GraphExtractor.Extract(session, options);
        }
        catch (Exception ex)
        {
            throw DumpSession.Translate(ex, session.Path);
        }
    }

    /// <summary>
    /// Per-type instance counts and shallow bytes, sorted by bytes (largest first), from one fast walk that builds
    /// no graph. Free space is not counted.
    /// </summary>
    /// <exception cref="LeakLabException">As for <see cref="Load"/>.</exception>
    public static IReadOnlyList<TypeStat> ReadTypeStatistics(string path, DumpLoadOptions? options = null) =>
        ReadStatistics(path, options).Types;

    /// <summary>
    /// As <see cref="ReadTypeStatistics(string, DumpLoadOptions?)"/>, with the load report of the walk: objects and bytes
    /// counted, what of the heap could not be read (no roots are read, so <see cref="LoadReport.RootsUnresolved"/> is null).
    /// </summary>
    /// <exception cref="LeakLabException">As for <see cref="Load"/>, and when damage left too little of the heap
    /// (more than <see cref="HeapDamage.MaxUnreadShare"/> unread).</exception>
    public static HeapStatistics ReadStatistics(string path, DumpLoadOptions? options = null)
    {
        options ??= new DumpLoadOptions();
        using DumpSession session = DumpSession.Open(path, options);
        try
        {
            return GraphExtractor.Statistics(session, options);
        }
        catch (Exception ex)
        {
            throw DumpSession.Translate(ex, session.Path);
        }
    }
}
