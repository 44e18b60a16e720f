namespace LeakLab.Core.Inspections;

/// <summary>
/// S05: timers never disposed. Keyed on the runtime's timer queues (the dump's live <c>TimerQueueTimer</c>s) grouped
/// by callback method, target type and state type; a group whose count grows is the leak. Timers whose state is a
/// task (<c>Task.Delay</c>, timeouts) belong to the tasks waiting on them and are left to other inspections.
/// </summary>
internal sealed class TimerInspection : IInspection
{
    private const long MinGrowth = 50;
    private const long MinOneSnapshot = 1000;

    public string Scenario => "S05";
    public string Name => "timers";

    public void Run(InspectionContext context)
    {
        if (!context.HasTables)
        {
            long[] timers = context.Series(s => s.Graph.FindTypes("System.Threading.TimerQueueTimer").Sum(t => CountOf(s.Analysis, t)));
            context.Note(this, $"reachable TimerQueueTimer objects: {SeriesGrowth.Text(timers)}; their callbacks, due times and periods come from a dump's timer queues");
            return;
        }
        Dictionary<string, long[]> groups = context.SeriesByKey(s => s.Tables!.Timers.Where(IsProgramTimer).ToDictionary(Key, t => t.Count, StringComparer.Ordinal));
        foreach (var (key, series) in groups)
        {
            bool fires = context.IsSeries ? SeriesGrowth.Grows(series, MinGrowth) : series[^1] >= MinOneSnapshot;
            if (!fires)
                continue;
            TimerRow row = context.Last.Tables!.Timers.First(t => Key(t) == key);
            foreach (HeapRoot root in context.Last.Graph.Roots.Where(r => r.Name.StartsWith("System.Threading.TimerQueue.", StringComparison.Ordinal)))
                context.Claim(root.Name);
            HeapAnalysis last = context.Last.Analysis;
            var evidence = new List<string>
            {
                $"live timers calling {row.Callback}: {SeriesGrowth.Text(series)}",
                $"due in {Duration(row.MinDueMs)}..{Duration(row.MaxDueMs)}, period {Duration(row.PeriodMs)}; callback target {row.TargetType ?? "(static)"}, state {row.StateType ?? "(none)"}",
            };
            long retained = 0;
            foreach (string? type in (string?[])[row.TargetType, row.StateType])
            {
                if (type is null || last.Paths.PathsToType(type, 1).FirstOrDefault() is not { } path)
                    continue;
                evidence.Add($"path: {InspectionContext.Describe(path)} ({Quantity.Count(path.Count)} objects)");
                int typeId = last.Graph.FindTypes(type).FirstOrDefault(t => last.Graph.TypeName(t) == type, new TypeId(-1));
                if (typeId >= 0)
                    retained += last.Dominators.RetainedSizeOfType(typeId);
            }
            evidence.Add($"callback targets and states retain {ByteSize.Format(retained)}");
            if (!context.IsSeries)
                evidence.Add(InspectionContext.OneSnapshotCaveat);
            context.Add(new Finding(Scenario, $"{Quantity.Count(series[^1])} timers calling {row.Callback} are never disposed", new FindingRoot("timer", row.Callback), evidence,
                context.Score(series), "Dispose the timer (Timer.Dispose, or Stop on its owner) when its owner is done; a Timer referenced from its callback's target lives until disposed.", Name)
            { Counts = series, RetainedBytes = retained });
        }
    }

    // Task.Delay and timeouts: the state is the task; the runtime's own timers have static runtime callbacks.
    private static bool IsProgramTimer(TimerRow t) =>
        !(t.StateType?.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal) ?? false)
        && !(t.TargetType is null && t.Callback.StartsWith("System.", StringComparison.Ordinal));

    private static string Key(TimerRow t) => $"{t.Callback}|{t.TargetType}|{t.StateType}";

    private static string Duration(long ms) => ms < 0 ? "never" : TimeSpan.FromMilliseconds(ms).ToString(ms >= 3_600_000 ? @"h\h\ mm\m" : @"mm\:ss\.fff", System.Globalization.CultureInfo.InvariantCulture);

    private static long CountOf(HeapAnalysis analysis, int typeId)
    {
        long n = 0;
        for (int v = 0; v < analysis.Graph.NodeCount; v++)
        {
            if (analysis.Graph.TypeOf(v) == typeId && analysis.Paths.IsReachable(v))
                n++;
        }
        return n;
    }
}
