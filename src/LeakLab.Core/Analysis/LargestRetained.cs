namespace LeakLab.Core.Analysis;

/// <summary>
/// The first <c>count</c> objects in the order the retained reports use: retained bytes descending, then node
/// ascending. A total order, so the answer does not depend on the order objects are offered in, and the first k of
/// a longer answer are the answer for k (what lets <see cref="RetainedTotals"/> store one list for every smaller top).
/// </summary>
/// <remarks>A bounded heap of the best so far, worst on top: O(N log count) time, O(count) memory.</remarks>
internal sealed class LargestRetained
{
    private readonly int _count;
    private readonly PriorityQueue<int, (long Retained, int Node)> _heap;
    private long _worstRetained;
    private int _worstNode;

    public LargestRetained(int count)
    {
        _count = Math.Max(count, 0);
        _heap = new PriorityQueue<int, (long, int)>(_count, WorstFirst.Instance); // EnqueueDequeue never grows it
    }

    public void Offer(int node, long retained)
    {
        if (_heap.Count < _count)
        {
            _heap.Enqueue(node, (retained, node));
            if (_heap.Count == _count)
                (_worstRetained, _worstNode) = Worst();
            return;
        }
        // Most objects lose on the first comparison; no heap call for them.
        if (_count == 0 || retained < _worstRetained || (retained == _worstRetained && node > _worstNode))
            return;
        _heap.EnqueueDequeue(node, (retained, node));
        (_worstRetained, _worstNode) = Worst();
    }

    /// <summary>The selected nodes, largest first; empties the selection.</summary>
    public int[] Take()
    {
        var nodes = new int[_heap.Count];
        for (int i = nodes.Length - 1; i >= 0; i--)
            nodes[i] = _heap.Dequeue();
        return nodes;
    }

    private (long, int) Worst()
    {
        _heap.TryPeek(out _, out (long Retained, int Node) worst);
        return worst;
    }

    /// <summary>Smaller retained first; among equal sizes, the larger node first (it is the one to drop).</summary>
    private sealed class WorstFirst : IComparer<(long Retained, int Node)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((long Retained, int Node) a, (long Retained, int Node) b) =>
            a.Retained != b.Retained ? a.Retained.CompareTo(b.Retained) : b.Node.CompareTo(a.Node);
    }
}
