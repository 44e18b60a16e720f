using System.Globalization;

namespace LeakLab.Capture.EventPipe.Internal;

/// <summary>
/// What a heap snapshot is missing when the runtime dropped events: whether the walk's end (its GCStop) arrived, the
/// runtime's own count of dropped events, the GCBulkNode and GCBulkEdge events missing from their numbered sequences,
/// and the references the arrived objects declare against those that arrived. A snapshot with any of these is refused:
/// object i owns the next EdgeCount entries of the edge stream, so one lost batch moves every later reference onto
/// the wrong object.
/// </summary>
internal readonly record struct SnapshotLoss(
    bool EndMissing, int LostEvents, long NodeBatchesMissing, long EdgeBatchesMissing, int ObjectsArrived, long ReferencesArrived, long ReferencesDeclared)
{
    public static SnapshotLoss Of(HeapEventCollector collector, bool walkEnded)
    {
        (int nodesReceived, long nodesSent) = collector.NodeEvents;
        (int edgesReceived, long edgesSent) = collector.EdgeEvents;
        return new SnapshotLoss(
            !walkEnded,
            collector.LostEvents,
            nodesSent - nodesReceived,
            edgesSent - edgesReceived,
            collector.Data.NodeCount,
            collector.Data.EdgeTargets.Count,
            collector.Data.DeclaredEdgeCount());
    }

    public bool Any => EndMissing || LostEvents > 0 || NodeBatchesMissing > 0 || EdgeBatchesMissing > 0 || ReferencesDeclared != ReferencesArrived;

    /// <summary>
    /// One clause: "5,961,752 objects and 5,910,816 of the 5,915,093 references they declare arrived; the rest of the
    /// walk never arrived (no GCStop)", plus missing batches and the runtime's drop count when known.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{ObjectsArrived:N0} objects and {ReferencesArrived:N0} of the {ReferencesDeclared:N0} references they declare arrived"),
        };
        if (EndMissing)
            parts.Add("the end of the heap walk never arrived (no GCStop), so an unknown number of objects after those is missing");
        else if (ReferencesArrived < ReferencesDeclared && NodeBatchesMissing == 0 && EdgeBatchesMissing == 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the last {ReferencesDeclared - ReferencesArrived:N0} references were dropped"));
        if (NodeBatchesMissing > 0 || EdgeBatchesMissing > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NodeBatchesMissing:N0} object batches and {EdgeBatchesMissing:N0} reference batches are missing from their numbered sequences"));
        if (LostEvents > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the stream's sequence numbers show {LostEvents:N0} dropped events"));
        return string.Join("; ", parts);
    }
}
