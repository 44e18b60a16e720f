
namespace LeakLab.Dumps.Runtime;

/// <summary>
/// Reads a dump's runtime structures as <see cref="RuntimeTables"/> (finalizer queue, GC handles, timers, threads,
/// pending tasks, token-source registrations, SafeHandles, memory beside the GC heap), alone or together with its
/// heap graph for the inspections.
/// </summary>
public static class RuntimeReader
{
    /// <summary>
    /// Loads the heap graph and the runtime tables from one opening of the dump; objects in the tables are counted
    /// only when some root reaches them.
    /// </summary>
    /// <exception cref="LeakLabException">As for <see cref="DumpLoader.Load"/>.</exception>
    public static InspectionSnapshot Load(string path, DumpLoadOptions? options = null) =>
        WithSession(path, options, (session, o) =>
        {
            var analysis = new HeapAnalysis(GraphExtractor.Extract(session, o));
            return new InspectionSnapshot(analysis, RuntimeTableReader.Read(session, LiveIn(analysis), o.CancellationToken));
        });

    /// <summary>
    /// Reads the runtime tables of the dump an already loaded graph came from, counting only objects its roots reach.
    /// </summary>
    /// <exception cref="LeakLabException">The graph was not read from a dump file, or as for <see cref="DumpLoader.Load"/>.</exception>
    public static RuntimeTables ReadFor(HeapAnalysis analysis, DumpLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Graph.Info is not { SourceKind: "dump", Path: { } path })
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{analysis.Graph.Info.Label} was not read from a dump: runtime tables come from dumps only");
        return WithSession(path, options, (session, o) => RuntimeTableReader.Read(session, LiveIn(analysis), o.CancellationToken));
    }

    /// <summary>Reads only the runtime tables (garbage not yet collected counts too: no graph tells what is reachable).</summary>
    /// <exception cref="LeakLabException">As for <see cref="DumpLoader.Load"/>.</exception>
    public static RuntimeTables Read(string path, DumpLoadOptions? options = null) =>
        WithSession(path, options, (session, o) => RuntimeTableReader.Read(session, null, o.CancellationToken));

    private static T WithSession<T>(string path, DumpLoadOptions? options, Func<DumpSession, DumpLoadOptions, T> read)
    {
        options ??= new DumpLoadOptions();
        using DumpSession session = DumpSession.Open(path, options);
        try
        {
            return read(session, options);
        }
        catch (Exception ex)
        {
            throw DumpSession.Translate(ex, session.Path);
        }
    }

    /// <summary>True for addresses of objects some root of the analysis reaches.</summary>
    private static Func<ulong, bool> LiveIn(HeapAnalysis analysis)
    {
        HeapGraph graph = analysis.Graph;
        ShortestPaths paths = analysis.Paths;
        return address => graph.FindNode(address) is { Index: >= 0 } n && paths.IsReachable(n);
    }
}
