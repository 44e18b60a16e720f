using System.Globalization;
using System.Text;

namespace LeakLab.Testing.Internal;

/// <summary>
/// Writes the second half of a failure message: the shortest retention path of one survivor, lasting root first,
/// from a heap snapshot of this process taken at the moment of the failure.
/// </summary>
/// <remarks>
/// A dump is preferred because it names fields (EventPipe snapshots do not); it costs about 1 s per 100 MB of process
/// memory plus the load (README). If a dump cannot be taken (no createdump, ptrace forbidden), an EventPipe snapshot is
/// used and the message says that fields are unnamed. Explaining never throws: if no snapshot can be taken the message
/// says why, and the assertion fails with the survivors alone.
/// </remarks>
internal static class RetentionExplainer
{
    /// <summary>Where paths come from: "dump" (the default), "eventpipe" (faster, fields unnamed) or "off".</summary>
    internal const string SourceVariable = "LEAKLAB_TESTING_PATHS";

    public static (string Text, RetentionPath? Path) Explain(SurvivorQuery query)
    {
        string? choice = Environment.GetEnvironmentVariable(SourceVariable)?.Trim().ToLowerInvariant();
        if (choice == "off")
            return ($"(No retention path: {SourceVariable}=off.)\n", null);
        (HeapGraph Graph, string Source, bool ByAddress)? taken = null;
        string whyNoDump = $"{SourceVariable}=eventpipe";
        if (choice != "eventpipe")
        {
            try
            {
                (HeapGraph dump, TimeSpan write, TimeSpan read, int gen2) = SelfSnapshots.Dump();
                taken = (dump, $"a heap dump of this process (pid {Environment.ProcessId}, {dump.NodeCount:N0} objects; written in {Seconds(write)}, read in {Seconds(read)}",
                    query.AddressValidAt(gen2));
            }
            catch (LeakLabException ex)
            {
                whyNoDump = "no dump could be taken: " + ex.Message;
            }
        }
        if (taken is null)
        {
            try
            {
                HeapSnapshotResult snapshot = SelfSnapshots.EventPipe(allowUnnamedTypes: true);
                // The snapshot's own gen-2 GC may have moved the object: find it by type.
                taken = (snapshot.Graph, $"an EventPipe heap snapshot of this process (pid {Environment.ProcessId}, {snapshot.Graph.NodeCount:N0} objects; taken in {Seconds(snapshot.Elapsed)}; fields show as '?' because {whyNoDump}",
                    false);
            }
            catch (LeakLabException ex)
            {
                return ($"No retention path: no heap snapshot of this process could be taken ({whyNoDump}; {ex.Message}).\n", null);
            }
        }
        (HeapGraph graph, string source, bool byAddress) = taken.Value;

        // Lasting roots first; a thread's stack only when nothing else holds the object.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (RetentionPath? path, bool found) = (null, false);
        if (LastingRoots.HasStackRoots(graph))
            (path, found) = FindPath(ShortestPaths.Compute(LastingRoots.WithoutStackRoots(graph)), query, byAddress);
        if (path is null)
            (path, found) = FindPath(ShortestPaths.Compute(graph), query, byAddress);

        source += $"; paths found in {Seconds(clock.Elapsed)})";
        var text = new StringBuilder();
        if (path is null)
        {
            text.Append(CultureInfo.InvariantCulture, $"No root reaches the survivors in {source}; they may have died since the assertion looked.\n");
            return (text.ToString(), null);
        }
        string located = found ? "this object" : $"one of {path.Count:N0} instances on this path, found by type";
        text.Append(CultureInfo.InvariantCulture,
            $"Shortest retention path ({located}; {(path.RootKind == RootKind.ThreadStack ? "no lasting root holds it, only a thread's stack" : "lasting root first")}), from {source}:\n");
        text.Append(TextReport.Paths([path]));
        return (text.ToString(), path);
    }

    /// <summary>The path to the object at the query's address, else the most common path to its types; and whether the address found it.</summary>
    private static (RetentionPath? Path, bool ByAddress) FindPath(ShortestPaths paths, SurvivorQuery query, bool byAddress)
    {
        HeapGraph graph = paths.Graph;
        if (byAddress)
        {
            int node = graph.FindNode(query.Address);
            if (node >= 0 && query.TypeMatches(graph.NodeTypeName((NodeId)node)))
                return (paths.IsReachable((NodeId)node) ? paths.PathsToAddress(query.Address)[0] : null, true);
            // Not there as that type: fall back to the type.
        }
        var matching = new bool[graph.TypeCount];
        for (int t = 0; t < matching.Length; t++)
            matching[t] = query.TypeMatches(graph.TypeName((TypeId)t));
        var instances = new List<NodeId>();
        for (int v = 0; v < graph.NodeCount; v++)
        {
            if (matching[graph.TypeOf((NodeId)v)] && paths.IsReachable((NodeId)v))
                instances.Add((NodeId)v);
        }
        return (instances.Count == 0 ? null : paths.GroupedPaths(instances, limit: 1)[0], false);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
}
