namespace LeakLab.Core.Inspections;

/// <summary>
/// S11: finalizers that do not run. Keyed on the finalizer queue: objects ready for finalization (the f-reachable
/// queue) growing in number, and, from a dump, the finalizer thread's stack: blocked inside a finalizer (a frame of the
/// program's code, a wait) instead of idle waiting for work.
/// </summary>
internal sealed class FinalizerInspection : IInspection
{
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 1000;

    public string Scenario => "S11";
    public string Name => "finalizer-queue";

    public void Run(InspectionContext context)
    {
        bool tables = context.HasTables;
        long[] ready = tables
            ? context.Series(s => s.Tables!.ReadyForFinalization)
            : context.Series(s => s.Graph.Roots.Count(r => r.Kind == RootKind.FinalizerQueue));
        ThreadRow? finalizer = context.Last.Tables?.Threads.FirstOrDefault(t => t.IsFinalizer);
        bool blocked = finalizer is { UserMethod: not null } or { WaitMethod: not null };
        bool fires = context.IsSeries ? SeriesGrowth.Grows(ready, MinGrowth) : ready[^1] >= MinOneSnapshot && blocked;
        if (!fires)
        {
            if (!context.IsSeries && ready[^1] > 0)
                context.Note(this, $"{Quantity.Count(ready[^1])} objects ready for finalization in one snapshot; a series shows whether the queue grows");
            return;
        }

        var evidence = new List<string> { $"objects ready for finalization: {SeriesGrowth.Text(ready)}" };
        if (tables)
        {
            Dictionary<string, long[]> types = context.SeriesByKey(s => s.Tables!.FinalizerQueue.Where(f => f.Ready > 0).ToDictionary(f => f.Type, f => f.Ready, StringComparer.Ordinal));
            foreach (var (type, series) in types.OrderByDescending(t => t.Value[^1]).Take(3))
                evidence.Add($"ready: {type} {SeriesGrowth.Text(series)}");
        }
        else
        {
            HeapGraph last = context.Last.Graph;
            foreach (var g in last.Roots.Where(r => r.Kind == RootKind.FinalizerQueue).GroupBy(r => last.NodeTypeName(r.Node)).OrderByDescending(g => g.Count()).Take(3))
                evidence.Add($"ready: {g.Key} ×{Quantity.Count(g.Count())}");
        }
        if (finalizer is not null)
        {
            evidence.Add(blocked
                ? $"the finalizer thread is blocked in {finalizer.UserMethod ?? finalizer.WaitMethod}{(finalizer.WaitMethod is { } w && finalizer.UserMethod is not null ? $", waiting in {w}" : "")}"
                : "the finalizer thread is not blocked: finalizers run slower than objects die");
            evidence.Add($"finalizer thread stack: {string.Join(" ← ", finalizer.Frames.Take(6))}");
        }
        else
        {
            evidence.Add("the finalizer thread's state needs a dump (its thread list); here only the queue is known");
        }
        string cause = finalizer is not null && blocked ? finalizer.UserMethod ?? finalizer.WaitMethod! : "finalizer queue";
        context.Add(new Finding(Scenario, blocked ? $"The finalizer thread is stuck in {cause}; finalizable objects pile up" : "Objects wait in the finalizer queue faster than it drains",
            new FindingRoot("finalizer", cause), evidence, context.Score(ready) * (blocked ? 1 : 0.8),
            "Dispose these objects (using) instead of leaving them to finalizers, and never block or take locks in a finalizer.", Name) { Counts = ready });
    }
}
