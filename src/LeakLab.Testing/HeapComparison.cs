using System.Diagnostics;

namespace LeakLab.Testing;

/// <summary>Compares the live heap of this process before and after a block of code: new, survived and dead objects per type.</summary>
public static class HeapComparison
{
    /// <summary>
    /// Runs <paramref name="block"/> between two heap snapshots of this process (each after <see cref="FullGc.Collect"/>)
    /// and says, per type, which objects are new, which survived and which died.
    /// </summary>
    /// <remarks>
    /// <para>Objects are the same objects across the two snapshots even when a compacting GC moved them in between: an
    /// EventPipe session follows every GC's survival and movement events meanwhile (see <see cref="HeapDifference.Followed"/>).</para>
    /// <para>Costs two EventPipe snapshots and the GCs (about 1–3 s for a few hundred thousand objects, README), plus
    /// a little for every GC the block causes.</para>
    /// <para>It sees the whole heap: whatever other threads (parallel tests) allocate or free during the block counts too.
    /// Read the rows of your own types, or run it in a test collection that does not run in parallel.</para>
    /// </remarks>
    /// <exception cref="LeakLabException">No EventPipe session to this process could be started (diagnostics disabled), or
    /// its events did not arrive within 30 s.</exception>
    public static HeapDifference Run(Action block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var clock = Stopwatch.StartNew();
        // No other assertion's snapshot while the moves session is open: it could not name the types (ObjectMoves.TypeName).
        using SelfSnapshots.Turn turn = SelfSnapshots.Exclusive();
        FullGc.Collect();
        // Follow first, then snapshot: a GC between the snapshot and the start of following would go unseen.
        using ObjectMoves moves = ObjectMoves.Start();
        HeapSnapshotResult before = SelfSnapshots.EventPipe(allowUnnamedTypes: true);
        TimeSpan blockStart = clock.Elapsed;
        block();
        TimeSpan blockTime = clock.Elapsed - blockStart;
        FullGc.Collect();
        HeapSnapshotResult after = SelfSnapshots.EventPipe(allowUnnamedTypes: true);
        (ulong[] addresses, bool followed) = moves.Follow(before.Graph, before.GcNumber, after.GcNumber);
        IReadOnlyList<TypeDifference> types = Compare(before.Graph, after.Graph, addresses, moves.TypeName);
        return new HeapDifference(types, followed, clock.Elapsed - blockTime);
    }

    /// <summary>Per type: an object of <paramref name="before"/> survived when its followed address is an object of the same type in <paramref name="after"/>.</summary>
    internal static IReadOnlyList<TypeDifference> Compare(HeapGraph before, HeapGraph after, ulong[] followedAddresses, Func<string, string> typeName)
    {
        string[] beforeNames = [.. Enumerable.Range(0, before.TypeCount).Select(t => typeName(before.TypeName((TypeId)t)))];
        string[] afterNames = [.. Enumerable.Range(0, after.TypeCount).Select(t => typeName(after.TypeName((TypeId)t)))];
        var rows = new Dictionary<string, (int Before, int After, int Survived, long AfterBytes)>(StringComparer.Ordinal);
        for (int v = 0; v < before.NodeCount; v++)
        {
            string type = beforeNames[before.TypeOf((NodeId)v)];
            var row = rows.GetValueOrDefault(type);
            row.Before++;
            int now = followedAddresses[v] == 0 ? -1 : after.FindNode(followedAddresses[v]);
            if (now >= 0 && afterNames[after.TypeOf((NodeId)now)] == type)
                row.Survived++;
            rows[type] = row;
        }
        for (int v = 0; v < after.NodeCount; v++)
        {
            string type = afterNames[after.TypeOf((NodeId)v)];
            var row = rows.GetValueOrDefault(type);
            row.After++;
            row.AfterBytes += after.Size((NodeId)v);
            rows[type] = row;
        }
        return [.. rows
            .Select(r => new TypeDifference(r.Key, r.Value.Before, r.Value.After, r.Value.After - r.Value.Survived, r.Value.Survived,
                r.Value.Before - r.Value.Survived, r.Value.AfterBytes))
            .OrderBy(r => r.Type, StringComparer.Ordinal)];
    }
}
