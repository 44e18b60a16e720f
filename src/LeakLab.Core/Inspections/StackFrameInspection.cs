namespace LeakLab.Core.Inspections;

/// <summary>
/// S15: a stack frame that keeps what the program no longer needs. Keyed on the root kind: one thread's stack root
/// (named by thread and method) whose retained objects grow steadily across snapshots.
/// </summary>
internal sealed class StackFrameInspection : IInspection
{
    public string Scenario => "S15";
    public string Name => "stack-frame";

    public void Run(InspectionContext context)
    {
        if (context.Comparison is not { } comparison)
        {
            context.Note(this, "one snapshot: a frame that keeps growing needs two or more snapshots");
            return;
        }
        foreach (RootTrend root in comparison.Roots.Where(r => r.Kind == RootKind.ThreadStack && r.Growing))
        {
            var evidence = new List<string>
            {
                $"the stack frame {root.Name} retains {SeriesGrowth.Text(root.Counts)} objects, {SeriesGrowth.Bytes(root.Retained)}",
            };
            PathTrend? path = comparison.Paths.Where(p => p.RootName == root.Name && p.Growing).MaxBy(p => p.Counts[^1]);
            if (path is not null)
                evidence.Add($"path: thread stack {root.Name} → {path.Shape}; {SeriesGrowth.Text(path.Counts)} objects");
            if (context.Last.Tables is { } tables && OsId(root.Name) is uint os && tables.Threads.FirstOrDefault(t => t.OsId == os) is { } thread)
                evidence.Add($"thread {thread.Name ?? thread.ManagedId.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {thread.State}{(thread.WaitMethod is { } w ? $", in {w}" : "")}; a long-running loop");
            evidence.Add(root.Reason);
            context.Add(new Finding(Scenario, $"A stack frame keeps growing: {root.Name}", new FindingRoot("thread stack", root.Name), evidence,
                SeriesGrowth.Score(root.Counts), "Do not keep per-iteration data in a local of a long-running loop: keep only what is needed (totals), or clear it each round.", Name)
            { Counts = root.Counts, RetainedBytes = root.Retained[^1] });
        }
    }

    private static uint? OsId(string rootName)
    {
        int at = rootName.IndexOf("(os 0x", StringComparison.Ordinal);
        int end = at < 0 ? -1 : rootName.IndexOf(')', at);
        return end > at && uint.TryParse(rootName.AsSpan(at + 6, end - at - 6), System.Globalization.NumberStyles.HexNumber, null, out uint id) ? id : null;
    }
}
