using LeakLab.Dumps;

namespace LeakLab;

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
    /// <exception cref="LeakLabException">The file is missing, not a dump, cut short or corrupt, has no .NET runtime,
    /// its DAC cannot be found, or its heap was caught mid-GC.</exception>
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
    public static IReadOnlyList<TypeStat> ReadTypeStatistics(string path, DumpLoadOptions? options = null)
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
