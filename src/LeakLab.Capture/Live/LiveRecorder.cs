using System.Globalization;
using System.Text;

namespace LeakLab.Capture.Live;

/// <summary>
/// An <see cref="ILiveTraceListener"/> that appends everything to CSV files in a folder as it arrives (so a watch that
/// is cut short keeps what it saw) and keeps the GC timeline and per-type allocation totals in memory for the summary.
/// </summary>
/// <remarks>
/// Files, created owner-only (0600): <c>counters.csv</c> (time, elapsed_s, name, value, unit; one row per counter per
/// interval), <c>gc.csv</c> (one row per GC: sizes after it in bytes, pause and duration in ms) and
/// <c>allocations.csv</c> (one row per allocation sample; <c>stack</c> is the allocating call stack, innermost frame
/// first, frames separated by <c>;</c>). Times are UTC ISO 8601; elapsed_s counts from
/// <paramref name="start"/>. Thread-safe: the trace's reader thread writes while the watch reads the summaries.
/// </remarks>
public sealed class LiveRecorder : ILiveTraceListener, IDisposable
{
    public const string CountersFile = "counters.csv";
    public const string GcFile = "gc.csv";
    public const string AllocationsFile = "allocations.csv";

    private readonly object _gate = new();
    private readonly DateTimeOffset _start;
    private readonly StreamWriter _counters;
    private readonly StreamWriter _gc;
    private readonly StreamWriter _allocations;
    private readonly List<GcRecord> _gcs = [];
    private readonly Dictionary<string, (long Samples, long Bytes)> _byType = new(StringComparer.Ordinal);
    // Per type, per distinct stack (keyed by its frames joined).
    private readonly Dictionary<string, Dictionary<string, (IReadOnlyList<string> Frames, long Samples, long Bytes)>> _byStack = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuntimeCounterSample> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RuntimeCounterSample>> _series = new(StringComparer.Ordinal);
    private long _counterRows;
    private long _allocationRows;

    public LiveRecorder(string folder, DateTimeOffset start)
    {
        _start = start;
        _counters = OwnerOnly(Path.Combine(folder, CountersFile), "time,elapsed_s,name,value,unit");
        _gc = OwnerOnly(Path.Combine(folder, GcFile),
            "time,elapsed_s,number,generation,reason,type,pause_ms,duration_ms,gen0_after,gen1_after,gen2_after,loh_after,poh_after,promoted_bytes");
        _allocations = OwnerOnly(Path.Combine(folder, AllocationsFile), "time,elapsed_s,type,bytes,kind,stack");
    }

    /// <summary>GCs so far, oldest first.</summary>
    public IReadOnlyList<GcRecord> Gcs { get { lock (_gate) return [.. _gcs]; } }

    public long CounterRows { get { lock (_gate) return _counterRows; } }
    public long AllocationSamples { get { lock (_gate) return _allocationRows; } }

    /// <summary>The latest value of a counter ("gc-heap-size"), or null before the first one arrived.</summary>
    public RuntimeCounterSample? Latest(string name) { lock (_gate) return _latest.TryGetValue(name, out var s) ? s : null; }

    /// <summary>Every value of one counter so far, oldest first (e.g. "alloc-rate" for a live chart).</summary>
    public IReadOnlyList<RuntimeCounterSample> Series(string name) { lock (_gate) return _series.TryGetValue(name, out var s) ? [.. s] : []; }

    /// <summary>Sampled allocations per type, most bytes first: samples and the bytes they stand for.</summary>
    public IReadOnlyList<(string Type, long Samples, long Bytes)> AllocationsByType()
    {
        lock (_gate)
            return [.. _byType.Select(p => (p.Key, p.Value.Samples, p.Value.Bytes)).OrderByDescending(t => t.Bytes).ThenBy(t => t.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The call stacks that allocated <paramref name="type"/> (exact runtime name), most sampled bytes first; empty when
    /// no sample named the type or the samples had no stacks.
    /// </summary>
    public IReadOnlyList<AllocationStack> StacksOf(string type, int top = 3)
    {
        lock (_gate)
        {
            if (!_byStack.TryGetValue(type, out var stacks))
                return [];
            return [.. stacks.Values.Where(s => s.Frames.Count > 0).OrderByDescending(s => s.Bytes).ThenByDescending(s => s.Samples).Take(top)
                .Select(s => new AllocationStack(type, s.Frames, s.Samples, s.Bytes))];
        }
    }

    public void OnCounter(RuntimeCounterSample sample)
    {
        lock (_gate)
        {
            _latest[sample.Name] = sample;
            if (!_series.TryGetValue(sample.Name, out var series))
                _series[sample.Name] = series = [];
            series.Add(sample);
            _counterRows++;
            _counters.WriteLine(Row(sample.Time, Csv(sample.Name), Number(sample.Value), Csv(sample.Unit)));
        }
    }

    public void OnGc(GcRecord gc)
    {
        lock (_gate)
        {
            _gcs.Add(gc);
            _gc.WriteLine(Row(gc.Time, Number(gc.Number), Number(gc.Generation), Csv(gc.Reason), Csv(gc.Type), Number(gc.PauseMs), Number(gc.DurationMs),
                string.Join(',', gc.SizeAfter.Select(b => Number(b))), Number(gc.PromotedBytes)));
        }
    }

    public void OnAllocation(AllocationSample sample)
    {
        lock (_gate)
        {
            _allocationRows++;
            _byType[sample.TypeName] = _byType.TryGetValue(sample.TypeName, out var t) ? (t.Samples + 1, t.Bytes + sample.Bytes) : (1, sample.Bytes);
            if (!_byStack.TryGetValue(sample.TypeName, out var stacks))
                _byStack[sample.TypeName] = stacks = new(StringComparer.Ordinal);
            string stack = string.Join(';', sample.Stack);
            stacks[stack] = stacks.TryGetValue(stack, out var s) ? (s.Frames, s.Samples + 1, s.Bytes + sample.Bytes) : (sample.Stack, 1, sample.Bytes);
            _allocations.WriteLine(Row(sample.Time, Csv(sample.TypeName), Number(sample.Bytes), Csv(sample.Kind), Csv(stack)));
        }
    }

    /// <summary>Pushes buffered rows to disk, so a reader of the files (or a kill of this process) sees them.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _counters.Flush();
            _gc.Flush();
            _allocations.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _counters.Dispose();
            _gc.Dispose();
            _allocations.Dispose();
        }
    }

    /// <summary>Creates a new file readable and writable by its owner only (heap contents and type names can be sensitive).</summary>
    public static FileStream CreateOwnerOnly(string path) => PrivateFile.Create(path, FileMode.CreateNew, 4096, FileShare.Read);

    private static StreamWriter OwnerOnly(string path, string header)
    {
        var writer = new StreamWriter(CreateOwnerOnly(path), new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(header);
        return writer;
    }

    private string Row(DateTimeOffset time, params string[] rest) =>
        $"{time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)},{Number(Math.Round((time - _start).TotalSeconds, 3))},{string.Join(',', rest)}";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting: type names contain commas (generic arguments).</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
