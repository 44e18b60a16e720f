using System.Globalization;

namespace LeakLab.Dumps.Benchmarks;

/// <summary>
/// Figures from one <see cref="LoadBenchmark.Run"/>: best-of-N wall times in seconds and memory in bytes.
/// Dominator figures are null when <see cref="DominatorTree"/> is not available.
/// </summary>
internal sealed record LoadBenchmarkResult
{
    public required int Objects { get; init; }
    public required int References { get; init; }
    /// <summary>A plain ClrMD loop: open, EnumerateObjects, Type, Size into a per-type dictionary.</summary>
    public required double BareSeconds { get; init; }
    /// <summary><see cref="DumpLoader.ReadTypeStatistics"/>, open included.</summary>
    public required double StatsSeconds { get; init; }
    /// <summary><see cref="DumpLoader.Load"/>, open included.</summary>
    public required double LoadSeconds { get; init; }
    /// <summary><see cref="HeapGraph.ModelBytes"/>: the arrays of the model.</summary>
    public required long ModelBytes { get; init; }
    /// <summary>Managed memory still held after the load (the graph and its strings), measured after a full GC.</summary>
    public required long RetainedBytes { get; init; }
    /// <summary>Highest managed-heap growth seen while loading: the model plus everything transient (ClrMD's caches, the index).</summary>
    public required long PeakBytes { get; init; }
    /// <summary>Growth of the process's peak working set during the loads (native DAC memory and mapped dump pages included).</summary>
    public required long PeakWorkingSetGrowth { get; init; }
    public double? DominatorSeconds { get; init; }
    /// <summary>Managed memory the dominator tree and retained sizes hold, beyond the graph.</summary>
    public long? DominatorExtraBytes { get; init; }

    public double StatsOverBare => StatsSeconds / BareSeconds;
    public double LoadOverBare => LoadSeconds / BareSeconds;
    /// <summary>Analyser memory per object: the larger of the model and the peak while loading.</summary>
    public long BytesPerObject => Objects == 0 ? 0 : Math.Max(ModelBytes, PeakBytes) / Objects;

    /// <summary>
    /// <c>stats/bare=R load/bare=R bytes/object=N objects=M dominators/load=R extra-bytes/object=N</c>
    /// (n/a for the dominator figures when they could not be measured).
    /// </summary>
    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"stats/bare={StatsOverBare:F2} load/bare={LoadOverBare:F2} bytes/object={BytesPerObject} objects={Objects} " +
        $"dominators/load={(DominatorSeconds is { } d ? (d / LoadSeconds).ToString("F2", CultureInfo.InvariantCulture) : "n/a")} " +
        $"extra-bytes/object={(DominatorExtraBytes is { } x && Objects > 0 ? (x / Objects).ToString(CultureInfo.InvariantCulture) : "n/a")}");
}
