namespace LeakLab.Testing.Internal;

/// <summary>What one GC did to the heap, from its survival and movement events; <see cref="ObjectMoves"/> collects them.</summary>
internal sealed class GcMoves(long index, int depth, bool background)
{
    private const int LargeObjectHeap = 3;
    private const int PinnedObjectHeap = 4;

    // Generation ranges as the GC reports them at its start (before anything moved); the ones it reports at its end
    // follow the survival events, or restart at a higher generation (each list runs from the POH down to gen 0).
    private readonly List<(ulong Start, ulong End, int Generation)> _startRanges = [];
    private readonly List<(ulong Start, ulong End)> _survivors = [];
    private readonly List<(ulong Start, ulong End, long Delta)> _moves = [];
    private bool _startRangesDone;
    private int _lastGeneration = int.MaxValue;

    public long Index { get; } = index;
    public int Depth { get; } = depth;
    public bool Background { get; } = background;
    public bool Ended { get; set; }

    public void AddRange(int generation, ulong start, ulong used)
    {
        if (generation > _lastGeneration)
            _startRangesDone = true;
        _lastGeneration = generation;
        if (!_startRangesDone && used > 0)
            _startRanges.Add((start, start + used, generation));
    }

    public void AddSurvivors(ulong start, ulong length)
    {
        _startRangesDone = true;
        _survivors.Add((start, start + length));
    }

    public void AddMove(ulong oldStart, ulong newStart, ulong length)
    {
        _startRangesDone = true;
        _moves.Add((oldStart, oldStart + length, (long)(newStart - oldStart)));
    }

    /// <summary>Moves each address to where this GC put the object, or sets it to 0 when the GC freed it.</summary>
    /// <param name="addresses">Tracked object addresses; 0 entries (already dead) are skipped.</param>
    public void Apply(ulong[] addresses)
    {
        var ranges = _startRanges.OrderBy(r => r.Start).ToArray();
        var survivors = _survivors.OrderBy(r => r.Start).ToArray();
        var moves = _moves.OrderBy(r => r.Start).ToArray();
        ulong[] rangeStarts = [.. ranges.Select(r => r.Start)];
        ulong[] survivorStarts = [.. survivors.Select(r => r.Start)];
        ulong[] moveStarts = [.. moves.Select(r => r.Start)];

        for (int i = 0; i < addresses.Length; i++)
        {
            ulong a = addresses[i];
            if (a == 0)
                continue;
            int r = Containing(rangeStarts, a);
            if (r < 0 || a >= ranges[r].End || !Condemned(ranges[r].Generation))
                continue; // not in a generation this GC collected (or in frozen memory): it stays where it is
            int m = Containing(moveStarts, a);
            if (m >= 0 && a < moves[m].End)
            {
                addresses[i] = (ulong)((long)a + moves[m].Delta);
                continue;
            }
            int s = Containing(survivorStarts, a);
            if (s < 0 || a >= survivors[s].End)
                addresses[i] = 0;
        }
    }

    private bool Condemned(int generation) =>
        generation <= Depth || (Depth >= 2 && generation is LargeObjectHeap or PinnedObjectHeap);

    /// <summary>The index of the last start at or below <paramref name="address"/>, or -1.</summary>
    private static int Containing(ulong[] starts, ulong address)
    {
        int i = Array.BinarySearch(starts, address);
        return i >= 0 ? i : ~i - 1;
    }
}
