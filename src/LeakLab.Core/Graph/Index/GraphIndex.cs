using System.Runtime.CompilerServices;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// The persisted graph index of a dump (a sidecar <c>.llidx</c> file): the first analysis walks the dump and writes
/// the graph, and the retention paths and dominator tree once they are computed; later opens read them back
/// instead of walking the heap (about 30 bytes per object and 8 per reference on disk, read at disk-cache speed).
/// </summary>
/// <remarks>
/// The index is tied to its dump by length, last write time and a hash of the dump's first 64 KiB; one that no
/// longer matches, or fails its checksums, is rebuilt with one note. It lives beside the dump, or in
/// <c>$XDG_CACHE_HOME/leaklab</c> (else <c>~/.cache/leaklab</c>) when the dump's folder is read-only, and is
/// created owner-only (see <see cref="PrivateFile"/>): it holds the dump's strings (type and field names).
/// </remarks>
public static class GraphIndex
{
    /// <summary>Set (to anything but empty or 0) to read dumps without their index, as <c>--no-index</c> does.</summary>
    public const string DisableVariable = "LEAKLAB_NO_INDEX";

    private static readonly ConditionalWeakTable<HeapGraph, GraphIndexFile> Indexes = new();
    private static readonly ConditionalWeakTable<HeapGraph, Action<string>> Notes = new();
    // The forests the index stores (HeapAnalysis.Paths and its short-lived forest), each with the section of its shapes.
    private static readonly ConditionalWeakTable<ShortestPaths, StoredForest> StoredForests = new();

    private sealed record StoredForest(HeapGraph Graph, IndexSection ShapesSection);

    /// <summary>True when <see cref="DisableVariable"/> asks for no index.</summary>
    public static bool DisabledByEnvironment =>
        Environment.GetEnvironmentVariable(DisableVariable) is { Length: > 0 } v && v != "0";

    /// <summary>
    /// The graph of the dump at <paramref name="dumpPath"/>: from its index when one matches the dump, otherwise from
    /// <paramref name="walk"/> (which reads the dump), then stored as its index. Analyses of the returned graph
    /// through <see cref="HeapAnalysis"/> read and store their results in the same index.
    /// </summary>
    /// <param name="note">Receives one line when an index was stale or corrupt and is rebuilt, or cannot be written.</param>
    /// <exception cref="LeakLabException">As <paramref name="walk"/> throws it; an index problem never fails the load.</exception>
    public static HeapGraph Open(string dumpPath, Func<HeapGraph> walk, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(walk);
        using IndexTimings.Phase timing = IndexTimings.Start("open graph (index or walk)");
        string full = Path.GetFullPath(dumpPath);
        DumpIdentity identity;
        try
        {
            identity = DumpIdentity.Of(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return walk(); // the walk reports an unreadable dump in its own words
        }

        IReadOnlyList<string> candidates = IndexLocation.Candidates(full);
        string? problem = null;
        foreach (string candidate in candidates)
        {
            if (!File.Exists(candidate))
                continue;
            try
            {
                GraphIndexFile index = GraphIndexFile.Open(candidate, identity, full, out HeapGraph stored);
                Attach(stored, index, note);
                return stored;
            }
            catch (Exception ex) when (ex is IndexStaleException or IndexCorruptException or IOException or UnauthorizedAccessException)
            {
                string why = ex switch
                {
                    IndexStaleException => $"is out of date ({ex.Message})",
                    IndexCorruptException => $"is corrupt ({ex.Message})",
                    _ => $"cannot be read ({ex.Message})",
                };
                problem ??= $"index {candidate} {why}";
            }
        }

        if (problem is not null)
            note?.Invoke($"{problem}; rebuilding it from the dump");
        HeapGraph graph;
        using (IndexTimings.Start("walk the dump"))
            graph = walk();
        if (IndexWriteBehind.Current is { } behind)
        {
            // The caller analyses the walked graph now; the writer thread stores it meanwhile.
            GraphIndexFile pending = GraphIndexFile.Pending(candidates[0], identity);
            Attach(graph, pending, note);
            behind.Enqueue(() =>
            {
                using IndexTimings.Phase writing = IndexTimings.Start("write index (behind)");
                if (!pending.WriteFirst(candidates, graph, CreateFolder, out string? why))
                    note?.Invoke($"cannot write an index for {Path.GetFileName(full)} ({why}); later commands will read the whole dump again");
            });
            return graph;
        }
        string? failure = null;
        foreach (string candidate in candidates)
        {
            try
            {
                CreateFolder(Path.GetDirectoryName(candidate)!);
                GraphIndexFile written;
                using (IndexTimings.Start("write index"))
                    written = GraphIndexFile.Create(candidate, identity, graph);
                if (Reopen(candidate, identity, full, note) is { } mapped)
                {
                    graph = null!;
                    GiveBackMemory();
                    return mapped;
                }
                Attach(graph, written, note);
                return graph;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure ??= ex.Message;
            }
        }
        note?.Invoke($"cannot write an index for {Path.GetFileName(full)} ({failure}); later commands will read the whole dump again");
        return graph;
    }

    /// <summary>
    /// The graph just written to <paramref name="path"/>, read back mapped as a later command would, or null when that
    /// fails (then the caller keeps the graph it walked). The walked graph's arrays (about 34 bytes per object) then
    /// become garbage and are given back to the system before any analysis runs, so a first command peaks at the
    /// larger of the walk and the analysis, not their sum.
    /// </summary>
    private static HeapGraph? Reopen(string path, DumpIdentity identity, string dumpPath, Action<string>? note)
    {
        try
        {
            using IndexTimings.Phase timing = IndexTimings.Start("reopen index mapped");
            GraphIndexFile index = GraphIndexFile.Open(path, identity, dumpPath, out HeapGraph stored);
            Attach(stored, index, note);
            return stored;
        }
        catch (Exception ex) when (ex is IndexStaleException or IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            return null; // replaced by another process meanwhile: the walked graph serves as well
        }
    }

    /// <summary>
    /// A blocking, compacting full collection that returns free memory to the system, and the pages of the mapped index
    /// that phase read: called once the big arrays of a phase are garbage and their contents live on in the index, so
    /// the next phase starts from a small resident set.
    /// </summary>
    private static void GiveBackMemory()
    {
        using IndexTimings.Phase timing = IndexTimings.Start("give back memory");
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        MappedIndex.ReleaseResidentPages();
    }

    /// <summary>
    /// What <see cref="HeapGraph.Info"/> of the dump's graph will say, from its index without reading the graph; null
    /// when the dump has no index that matches it. For ordering snapshots before loading them one at a time.
    /// </summary>
    public static SnapshotInfo? TryReadInfo(string dumpPath)
    {
        try
        {
            string full = Path.GetFullPath(dumpPath);
            DumpIdentity identity = DumpIdentity.Of(full);
            foreach (string candidate in IndexLocation.Candidates(full))
            {
                if (!File.Exists(candidate))
                    continue;
                try
                {
                    return GraphIndexFile.ReadInfo(candidate, identity, full);
                }
                catch (Exception ex) when (ex is IndexStaleException or IndexCorruptException)
                {
                    // the next candidate may serve; a full Open rebuilds and says why
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The retention paths of an indexed graph from its index, else computed (and then stored).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while computing; nothing is stored.</exception>
    internal static ShortestPaths Paths(HeapGraph graph, CancellationToken cancellationToken = default)
    {
        ShortestPaths paths = LoadOrCompute(graph, IndexSection.Paths, "retention paths", GraphCodec.ReadPaths,
            g => ShortestPaths.Compute(g, cancellationToken), GraphCodec.WritePaths);
        if (Indexes.TryGetValue(graph, out _))
            StoredForests.AddOrUpdate(paths, new StoredForest(graph, IndexSection.Shapes));
        return paths;
    }

    /// <summary>The short-lived forest of a forest: from the index for the forest <see cref="Paths"/> gave, else computed.</summary>
    internal static ShortestPaths ShortLived(ShortestPaths paths, Func<ShortestPaths> compute)
    {
        if (!StoredForests.TryGetValue(paths, out StoredForest? stored) || stored.ShapesSection != IndexSection.Shapes)
            return compute();
        ShortestPaths shortLived = LoadOrCompute(stored.Graph, IndexSection.ShortLivedPaths, "short-lived retention paths",
            GraphCodec.ReadPaths, _ => compute(), GraphCodec.WriteShortLivedPaths);
        StoredForests.AddOrUpdate(shortLived, new StoredForest(stored.Graph, IndexSection.ShortLivedShapes));
        return shortLived;
    }

    /// <summary>The path shapes of a forest (see <see cref="PathShapes.Compute"/>): from the index for a forest
    /// <see cref="Paths"/> or <see cref="ShortLived"/> gave, else computed.</summary>
    internal static PathShapes Shapes(ShortestPaths paths, ShortestPaths? lastingOwner, CancellationToken cancellationToken = default)
    {
        if (!StoredForests.TryGetValue(paths, out StoredForest? stored))
            return PathShapes.Compute(paths, lastingOwner, cancellationToken);
        string what = stored.ShapesSection == IndexSection.Shapes ? "path shapes" : "short-lived path shapes";
        return LoadOrCompute(stored.Graph, stored.ShapesSection, what, GraphCodec.ReadShapes,
            _ => PathShapes.Compute(paths, lastingOwner, cancellationToken), (w, s) => GraphCodec.WriteShapes(w, s, stored.ShapesSection));
    }

    /// <summary>The dominator tree of an indexed graph from its index, else computed (and then stored).</summary>
    internal static DominatorTree Dominators(HeapGraph graph, CancellationToken cancellationToken = default) =>
        LoadOrCompute(graph, IndexSection.Dominators, "retained sizes", GraphCodec.ReadDominators,
            g => DominatorTree.Compute(g, cancellationToken), GraphCodec.WriteDominators);

    /// <summary>The retained totals of a dominator tree over an indexed graph from its index, else computed (and then stored).</summary>
    internal static RetainedTotals Totals(DominatorTree tree, Func<RetainedTotals> compute) =>
        LoadOrCompute(tree.Graph, IndexSection.RetainedTotals, "retained totals", RetainedTotalsCodec.Read, _ => compute(),
            RetainedTotalsCodec.Write);

    /// <summary>The cache folder is created owner-only (0700), like the files in it; an existing folder is left as it is.</summary>
    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void Attach(HeapGraph graph, GraphIndexFile index, Action<string>? note)
    {
        Indexes.AddOrUpdate(graph, index);
        if (note is not null)
            Notes.AddOrUpdate(graph, note);
    }

    private static void StoreBehind<T>(GraphIndexFile index, IndexSection kind, string what, T computed,
        Func<IndexWriter, T, long> write, Action<string>? note)
    {
        try
        {
            using (IndexTimings.Start($"store {what} (behind)"))
                index.Append(kind, w => write(w, computed), direct: true);
        }
        catch (IndexStaleException)
        {
            // another process rebuilt the index for a changed dump: these results do not belong in it
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            note?.Invoke($"cannot add the {what} to index {index.Path} ({ex.Message}); later commands will compute them again");
        }
    }

    private static T LoadOrCompute<T>(HeapGraph graph, IndexSection kind, string what,
        Func<IndexReader, HeapGraph, T> read, Func<HeapGraph, T> compute, Func<IndexWriter, T, long> write) where T : class
    {
        if (!Indexes.TryGetValue(graph, out GraphIndexFile? index))
            return compute(graph);
        Notes.TryGetValue(graph, out Action<string>? note);
        try
        {
            using IndexTimings.Phase timing = IndexTimings.Start($"map {what}");
            if (index.Read(kind, r => read(r, graph)) is { } stored)
                return stored;
        }
        catch (Exception ex) when (ex is IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            note?.Invoke($"the {what} in index {index.Path} cannot be used ({ex.Message}); computing them again");
        }
        T computed;
        using (IndexTimings.Start($"compute {what}"))
            computed = compute(graph);
        if (IndexWriteBehind.Current is { } behind)
        {
            behind.Enqueue(() => StoreBehind(index, kind, what, computed, write, note));
            // The computation's working arrays are garbage now: collected at once, their memory serves the next phase
            // (and the walk of the next dump beside it) instead of adding to the peak.
            GC.Collect();
            return computed; // kept in memory for this command; no read-back
        }
        try
        {
            using (IndexTimings.Start($"store {what}"))
                index.Append(kind, w => write(w, computed));
        }
        catch (IndexStaleException)
        {
            return computed; // another process rebuilt the index for a changed dump: this graph's results do not belong in it
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            note?.Invoke($"cannot add the {what} to index {index.Path} ({ex.Message}); later commands will compute them again");
            return computed;
        }
        try
        {
            // Read back mapped, as a later command would: the computed arrays become garbage and are given back, so
            // the next analysis does not stack its peak on this one's.
            if (index.Read(kind, r => read(r, graph)) is { } stored)
            {
                computed = null!;
                GiveBackMemory();
                return stored;
            }
        }
        catch (Exception ex) when (ex is IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            // the computed result serves as well; the next command reads (or rebuilds) the section and says so
        }
        return computed;
    }
}
