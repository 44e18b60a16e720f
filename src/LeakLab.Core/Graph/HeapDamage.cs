namespace LeakLab.Core.Graph;

/// <summary>
/// How much of a GC heap could not be read: what a walk over damaged memory (a dump with flipped bits, a truncated
/// copy, memory the dump left out) had to skip. Zero everywhere means the whole heap was read.
/// </summary>
/// <param name="BadObjects">Places where an object was expected and none could be read: an unknown method table,
/// a size that runs past its segment, unreadable memory. The walk resumed at the next valid object after each.</param>
/// <param name="BytesSkipped">Heap bytes between each bad object and the next valid one: objects in there are missing.</param>
/// <param name="SegmentsCutShort">Segments (regions) whose walk could not resume and stopped before the segment's end.</param>
/// <param name="HeapBytes">Bytes of all segments walked, the base of <see cref="UnreadShare"/>.</param>
/// <param name="DanglingReferences">References from readable objects that point at no object start: damaged
/// references, or references into memory that was skipped. They are left out of the graph.</param>
public sealed record HeapDamage(int BadObjects, long BytesSkipped, int SegmentsCutShort, long HeapBytes, long DanglingReferences)
{
    /// <summary>Above this share of unread heap the walk fails: counts and paths would mislead more than help.</summary>
    public const double MaxUnreadShare = 0.5;

    public static HeapDamage None(long heapBytes) => new(0, 0, 0, heapBytes, 0);

    public bool IsDamaged => BadObjects > 0 || SegmentsCutShort > 0 || DanglingReferences > 0;

    /// <summary>Share of the heap's bytes that could not be read, 0 to 1.</summary>
    public double UnreadShare => HeapBytes <= 0 ? 0 : (double)BytesSkipped / HeapBytes;

    /// <summary>One sentence for a warning line: "3 bad objects, 12,345 bytes (0.5% of the heap) skipped, …".</summary>
    public string Describe()
    {
        var parts = new List<string>
        {
            $"{BadObjects:N0} bad object{(BadObjects == 1 ? "" : "s")}",
            $"{BytesSkipped:N0} bytes ({(UnreadShare > 0 && UnreadShare < 0.001 ? "<0.1" : (UnreadShare * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))}% of the heap) skipped",
        };
        if (SegmentsCutShort > 0)
            parts.Add($"{SegmentsCutShort:N0} segment{(SegmentsCutShort == 1 ? "" : "s")} cut short");
        if (DanglingReferences > 0)
            parts.Add($"{DanglingReferences:N0} reference{(DanglingReferences == 1 ? "" : "s")} to no object dropped");
        return string.Join(", ", parts);
    }
}
