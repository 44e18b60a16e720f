using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Internal;

/// <summary>One heap segment (a region, under regions) as the walker sees it.</summary>
internal sealed class SegmentSpan
{
    private readonly Generation _generation;
    private readonly MemoryRange _gen0, _gen1;

    public SegmentSpan(ClrSegment segment)
    {
        Start = segment.ObjectRange.Start;
        End = segment.ObjectRange.End;
        Kind = segment.Kind;
        _gen0 = segment.Generation0;
        _gen1 = segment.Generation1;
        _generation = segment.Kind switch
        {
            GCSegmentKind.Generation0 => Generation.Gen0,
            GCSegmentKind.Generation1 => Generation.Gen1,
            GCSegmentKind.Generation2 => Generation.Gen2,
            GCSegmentKind.Large => Generation.Large,
            GCSegmentKind.Pinned => Generation.Pinned,
            GCSegmentKind.Frozen => Generation.Frozen,
            _ => Generation.Unknown, // Ephemeral (segments GC): decided per object
        };
    }

    public ulong Start { get; }
    public ulong End { get; }
    public GCSegmentKind Kind { get; }
    /// <summary>ClrMD skips allocation contexts everywhere except on large-object and frozen segments.</summary>
    public bool SkipsAllocationContexts => Kind is not (GCSegmentKind.Large or GCSegmentKind.Frozen);

    public Generation GenerationOf(ulong address)
    {
        if (_generation != Generation.Unknown)
            return _generation;
        if (_gen0.Contains(address))
            return Generation.Gen0;
        if (_gen1.Contains(address))
            return Generation.Gen1;
        return Generation.Gen2;
    }
}
