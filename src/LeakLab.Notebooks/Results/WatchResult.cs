using System.Globalization;
using System.Text;

namespace LeakLab.Notebooks.Results;

/// <summary>
/// What <c>#!leaklab watch</c> reports: the leak warning and summary (with the growing types' allocation stacks), a
/// chart of the heap per generation after each GC and the GC pauses, the lifetime charts (<see cref="Survivors"/>,
/// <see cref="Ages"/>), and as DataFrames the GC timeline, the System.Runtime counters, sampled allocations by type
/// with their top stack and the types that grew across the watch's snapshots. The files (CSV, .llhg) stay in <see cref="Folder"/>.
/// </summary>
public sealed class WatchResult : LeakLabResult
{
    private const int SurvivorTypes = 10;

    internal WatchResult(LiveWatchResult watch, IReadOnlyList<GcRecord> gcs, IReadOnlyList<(string Type, long Samples, long Bytes)> allocations,
        Func<string, IReadOnlyList<AllocationStack>> stacksOf, IReadOnlyList<(double, double)> allocationRate, IReadOnlyList<string> notes)
    {
        Watch = watch;
        Gcs = gcs;
        Allocations = allocations;
        TopStacks = allocations.Select(a => stacksOf(a.Type) is [var top, ..] ? top : null).ToList();
        Notes = notes;
        Counters = ReadCounters(Path.Combine(watch.Folder, LiveRecorder.CountersFile));
        Chart = TimelineChart(watch.Started, gcs, allocationRate);
        Survivors = LifetimeCharts.AllocationsVsSurvivors(SurvivorRows());
        Ages = watch.Snapshots.Count == 0 ? null : LifetimeCharts.AgeMix(
            [.. watch.Snapshots.Select(s => Path.GetFileNameWithoutExtension(s.File))], [.. watch.Snapshots.Select(s => s.Result.Graph)]);
    }

    /// <summary>The heap per generation after each GC, the GC pauses and the allocation rate, over seconds since <paramref name="started"/>.</summary>
    internal static PlotlyFigure TimelineChart(DateTimeOffset started, IReadOnlyList<GcRecord> gcs, IReadOnlyList<(double, double)> allocationRate) => GcCharts.Timeline(
        [.. gcs.Select(g => (g.Time - started).TotalSeconds)], [.. gcs.Select(g => g.SizeAfter)],
        [.. gcs.Select(g => g.PauseMs)], [.. gcs.Select(g => g.Generation)], allocationRate);

    /// <summary>
    /// The growing types, then the most allocated ones (up to <see cref="SurvivorTypes"/>): sampled bytes allocated during
    /// the watch against the growth of their live bytes from the first to the last snapshot (0 without two snapshots).
    /// </summary>
    private List<(string Type, long Allocated, long Survived)> SurvivorRows()
    {
        var snapshots = Watch.Snapshots;
        Dictionary<string, long>? first = snapshots.Count >= 2 ? BytesByType(snapshots[0].Result.Graph) : null;
        Dictionary<string, long>? last = snapshots.Count >= 2 ? BytesByType(snapshots[^1].Result.Graph) : null;
        var allocated = Allocations.ToDictionary(a => a.Type, a => a.Bytes, StringComparer.Ordinal);
        return [.. Warning.Growing.Select(t => t.Type).Concat(Allocations.Select(a => a.Type)).Distinct(StringComparer.Ordinal).Take(SurvivorTypes)
            .Select(t => (t, allocated.GetValueOrDefault(t),
                first is null ? 0 : last!.GetValueOrDefault(t) - first.GetValueOrDefault(t)))];
    }

    private static Dictionary<string, long> BytesByType(HeapGraph graph)
    {
        var bytes = new long[graph.TypeCount];
        for (int n = 0; n < graph.NodeCount; n++)
            bytes[graph.TypeOf((NodeId)n)] += graph.Size((NodeId)n);
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int t = 0; t < bytes.Length; t++)
        {
            string name = graph.TypeName((TypeId)t);
            byName[name] = byName.GetValueOrDefault(name) + bytes[t];
        }
        return byName;
    }

    public LiveWatchResult Watch { get; }
    public LeakWarning Warning => Watch.Warning;
    /// <summary>Where the watch wrote counters.csv, gc.csv, allocations.csv and snapshot-N.llhg.</summary>
    public string Folder => Watch.Folder;
    public IReadOnlyList<GcRecord> Gcs { get; }
    /// <summary>Sampled allocations per type, most bytes first.</summary>
    public IReadOnlyList<(string Type, long Samples, long Bytes)> Allocations { get; }
    /// <summary>Every counter value the target published: seconds since the start, counter name, value, unit.</summary>
    public IReadOnlyList<(double Seconds, string Name, double Value, string Unit)> Counters { get; }
    /// <summary>Progress lines of the watch (snapshots taken, early ends).</summary>
    public IReadOnlyList<string> Notes { get; }
    public PlotlyFigure Chart { get; }
    /// <summary>The most sampled allocation stack of each type in <see cref="Allocations"/> (same order; null without stacks).</summary>
    public IReadOnlyList<AllocationStack?> TopStacks { get; }
    /// <summary>Allocated against still-alive bytes per type (<see cref="LifetimeCharts.AllocationsVsSurvivors"/>).</summary>
    public PlotlyFigure Survivors { get; }
    /// <summary>Bytes per generation per type across the watch's snapshots (<see cref="LifetimeCharts.AgeMix"/>); null without snapshots.</summary>
    public PlotlyFigure? Ages { get; }

    private IEnumerable<string> Lines()
    {
        LiveWatchResult w = Watch;
        yield return FormattableString.Invariant(
            $"Watched process {w.Pid} for {w.Watched.TotalSeconds:0.0} s ({w.Ending.ToString().ToLowerInvariant()}): {Gcs.Count:N0} GCs ({Gcs.Count(g => g.Generation == 2)} gen2), {Allocations.Sum(a => a.Samples):N0} allocation samples, {w.Snapshots.Count} snapshots; files in {w.Folder}");
        yield return Warning.Alert ? $"LEAK WARNING: {Warning.Reason}" : $"No leak warning: {Warning.Reason}";
        if (w.AlertDump is { } dump)
            yield return $"  dump at the alert: {dump.Path}";
        foreach (TypeTrend t in Warning.Growing.Take(10))
        {
            yield return $"  {t.Type}: {string.Join(" → ", t.Counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))} objects";
            if (Warning.Stacks.FirstOrDefault(s => s.Type == t.Type) is { } stack)
                yield return $"    allocated at {stack.Describe(6)} ({stack.Samples:N0} samples)";
        }
        foreach (string f in w.Failures)
            yield return $"  error: {f}";
    }

    public override string ToHtml() => ToHtml(PlotlyScriptMode.Inline);

    /// <summary>The summary, then the chart; <paramref name="mode"/> as for <see cref="ChartResult.ToHtml(PlotlyScriptMode)"/>.</summary>
    public string ToHtml(PlotlyScriptMode mode)
    {
        var html = new StringBuilder();
        foreach (string line in Lines())
            html.Append(Render.MessageHtml(line));
        html.Append(Render.ChartHtml(Chart, mode));
        // The first chart brings plotly.js when the mode asks for it; the page has it by the next one.
        const PlotlyScriptMode rest = PlotlyScriptMode.AssumeLoaded;
        html.Append(Render.ChartHtml(Survivors, rest));
        if (Ages is not null)
            html.Append(Render.ChartHtml(Ages, rest));
        return html.ToString();
    }

    public override string ToText()
    {
        var text = new StringBuilder();
        foreach (string line in Lines())
            text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>"gc" (one row per GC), "counters" (one row per counter value), "allocations" (per type), "growing" (per type and snapshot).</summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames()
    {
        var growing = Warning.Growing.SelectMany(t => t.Counts.Select((c, i) => (t, i))).ToList();
        return
        [
            new("gc", Frames.Of(
                Frames.Real("seconds", Gcs.Select(g => Math.Round((g.Time - Watch.Started).TotalSeconds, 3))),
                Frames.Long("number", Gcs.Select(g => g.Number)),
                Frames.Long("generation", Gcs.Select(g => (long)g.Generation)),
                Frames.Text("reason", Gcs.Select(g => g.Reason)),
                Frames.Text("kind", Gcs.Select(g => g.Type)),
                Frames.Real("pause_ms", Gcs.Select(g => g.PauseMs)),
                Frames.Real("duration_ms", Gcs.Select(g => g.DurationMs)),
                Frames.Long("gen0_after", Gcs.Select(g => g.SizeAfter[0])),
                Frames.Long("gen1_after", Gcs.Select(g => g.SizeAfter[1])),
                Frames.Long("gen2_after", Gcs.Select(g => g.SizeAfter[2])),
                Frames.Long("loh_after", Gcs.Select(g => g.SizeAfter[3])),
                Frames.Long("poh_after", Gcs.Select(g => g.SizeAfter[4])),
                Frames.Long("promoted_bytes", Gcs.Select(g => g.PromotedBytes)))),
            new("counters", Frames.Of(
                Frames.Real("seconds", Counters.Select(c => c.Seconds)),
                Frames.Text("name", Counters.Select(c => c.Name)),
                Frames.Real("value", Counters.Select(c => c.Value)),
                Frames.Text("unit", Counters.Select(c => c.Unit)))),
            new("allocations", Frames.Of(
                Frames.Text("type", Allocations.Select(a => a.Type)),
                Frames.Long("samples", Allocations.Select(a => a.Samples)),
                Frames.Long("bytes", Allocations.Select(a => a.Bytes)),
                Frames.Text("top_stack", TopStacks.Select(s => s is null ? "" : string.Join(";", s.Frames))))),
            new("growing", Frames.Of(
                Frames.Long("snapshot", growing.Select(x => (long)x.i + 1)),
                Frames.Text("type", growing.Select(x => x.t.Type)),
                Frames.Long("count", growing.Select(x => x.t.Counts[x.i])),
                Frames.Long("bytes", growing.Select(x => x.t.Bytes[x.i])))),
        ];
    }

    /// <summary>counters.csv as LiveRecorder writes it: time, elapsed_s, name, value, unit (RFC 4180 quoting).</summary>
    private static List<(double, string, double, string)> ReadCounters(string path)
    {
        var rows = new List<(double, string, double, string)>();
        if (!File.Exists(path))
            return rows;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            var f = SplitCsv(line);
            if (f.Count == 5
                && double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                && double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                rows.Add((seconds, f[2], value, f[4]));
            else
                throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{path} has a malformed row: '{line}'");
        }
        return rows;
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
