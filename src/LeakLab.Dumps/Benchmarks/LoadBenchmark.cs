using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Benchmarks;

/// <summary>
/// Measures LeakLab's dump reading against a plain ClrMD loop on the same dump, in one run (what
/// <c>leaklab bench load FILE</c> prints). Ratios, not absolute times, are the goal: stats/bare &lt;= 1.2,
/// load/bare &lt;= 2.5, at most 80 bytes of analyser memory per object.
/// </summary>
/// <remarks>
/// The dump file is read once first so every measurement finds it in the page cache; each timing is the best of
/// <see cref="Repeats"/> interleaved rounds, each run opening the dump afresh (open and DAC load included, as a user
/// pays them).
/// Memory is measured on the first load: the managed heap is sampled every few milliseconds, so the peak includes
/// transient buffers and ClrMD's caches, not just the finished model.
/// </remarks>
internal static class LoadBenchmark
{
    private const int Repeats = 5;

    /// <param name="dacPath">The runtime's libmscordaccore.so when the one the dump names is missing (as <c>--dac</c>); null to find it.</param>
    public static LoadBenchmarkResult Run(string dumpPath, TextWriter log, string? dacPath = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        string path = Path.GetFullPath(dumpPath);
        long fileBytes = WarmFileCache(path);
        log.WriteLine($"dump: {path} ({fileBytes / 1048576.0:F1} MiB, read once to warm the file cache)");

        long peakWorkingSetBefore = CurrentPeakWorkingSet();
        var options = new DumpLoadOptions { DacPath = dacPath };
        (HeapGraph graph, long retained, long peak) = MeasureLoadMemory(path, options);
        long peakWorkingSetGrowth = Math.Max(0, CurrentPeakWorkingSet() - peakWorkingSetBefore);
        int objects = graph.NodeCount;
        log.WriteLine($"objects: {objects:N0}, references: {graph.EdgeCount:N0}, types: {graph.TypeCount:N0}, roots: {graph.Roots.Count:N0}");
        log.WriteLine($"model memory (HeapGraph.ModelBytes): {graph.ModelBytes / 1048576.0:F1} MiB = {PerObject(graph.ModelBytes, objects)} bytes/object");
        log.WriteLine($"managed memory held after load (after full GC): {retained / 1048576.0:F1} MiB = {PerObject(retained, objects)} bytes/object");
        log.WriteLine($"managed heap peak growth during load (model + transient): {peak / 1048576.0:F1} MiB = {PerObject(peak, objects)} bytes/object");
        log.WriteLine($"process peak working set growth during load (incl. DAC and mapped dump pages): {peakWorkingSetGrowth / 1048576.0:F1} MiB");

        // Interleaved rounds: a burst of load from elsewhere on the machine then slows all three alike, not one.
        double bare = double.MaxValue, stats = double.MaxValue, load = double.MaxValue;
        for (int round = 0; round < Repeats; round++)
        {
            bare = Math.Min(bare, Time(() => BareClrMdLoop(path, dacPath)));
            stats = Math.Min(stats, Time(() => GC.KeepAlive(DumpLoader.ReadTypeStatistics(path, options))));
            load = Math.Min(load, Time(() => GC.KeepAlive(DumpLoader.Load(path, options))));
        }
        log.WriteLine(Line("bare ClrMD loop (EnumerateObjects, Type, Size, per-type dictionary)", bare, objects));
        log.WriteLine(Line("LeakLab stats (types and sizes only)", stats, objects));
        log.WriteLine(Line("LeakLab load (objects, references, field names, roots)", load, objects));

        (double? dominators, long? dominatorBytes) = MeasureDominators(graph, log);
        var result = new LoadBenchmarkResult
        {
            Objects = objects,
            References = graph.EdgeCount,
            BareSeconds = bare,
            StatsSeconds = stats,
            LoadSeconds = load,
            ModelBytes = graph.ModelBytes,
            RetainedBytes = retained,
            PeakBytes = peak,
            PeakWorkingSetGrowth = peakWorkingSetGrowth,
            DominatorSeconds = dominators,
            DominatorExtraBytes = dominatorBytes,
        };
        GC.KeepAlive(graph);
        log.WriteLine(result.SummaryLine);
        return result;
    }

    /// <summary>What a user would write with ClrMD alone; the baseline every ratio divides by.</summary>
    private static void BareClrMdLoop(string path, string? dacPath)
    {
        using DataTarget target = DataTarget.LoadDump(path);
        using ClrRuntime runtime = DumpSession.CreateRuntime(target.ClrVersions[0], new DumpLoadOptions { DacPath = dacPath });
        var perType = new Dictionary<string, (long Count, long Bytes)>();
        foreach (ClrObject obj in runtime.Heap.EnumerateObjects())
        {
            string name = obj.Type?.Name ?? "?";
            perType.TryGetValue(name, out (long Count, long Bytes) row);
            perType[name] = (row.Count + 1, row.Bytes + (long)obj.Size);
        }
        GC.KeepAlive(perType);
    }

    private static (HeapGraph Graph, long Retained, long Peak) MeasureLoadMemory(string path, DumpLoadOptions options)
    {
        long baseline = SettledManagedBytes();
        long peak = baseline;
        using var stop = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!stop.Wait(2))
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
        }) { IsBackground = true, Name = "LeakLab memory sampler" };
        sampler.Start();
        HeapGraph graph;
        try
        {
            graph = DumpLoader.Load(path, options);
        }
        finally
        {
            stop.Set();
            sampler.Join();
        }
        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
        long retained = SettledManagedBytes() - baseline;
        return (graph, retained, Math.Max(peak - baseline, retained));
    }

    private static (double? Seconds, long? ExtraBytes) MeasureDominators(HeapGraph graph, TextWriter log)
    {
        try
        {
            long before = SettledManagedBytes();
            var clock = Stopwatch.StartNew();
            DominatorTree tree = DominatorTree.Compute(graph);
            IReadOnlyList<NodeId> top = tree.TopObjects(10); // forces retained sizes
            double seconds = clock.Elapsed.TotalSeconds;
            // Extra memory: what stays after the run, or the peak of working and result arrays if higher.
            long extra = Math.Max(Math.Max(0, SettledManagedBytes() - before), tree.PeakBytes);
            long topRetained = top.Count > 0 ? tree.RetainedSize(top[0]) : 0;
            GC.KeepAlive(tree);
            tree = null!;
            // Timed like the other figures: best of the runs, so JIT and first-touch page faults do not count.
            for (int run = 1; run < Repeats; run++)
                seconds = Math.Min(seconds, Time(() => DominatorTree.Compute(graph).TopObjects(10)));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dominator tree + retained sizes: {seconds:F3} s best of {Repeats} ({graph.NodeCount / Math.Max(seconds, 1e-9) / 1e6:F2} M objects/s)"));
            log.WriteLine($"dominator extra memory (peak of working and result arrays): {extra / 1048576.0:F1} MiB = {PerObject(extra, graph.NodeCount)} bytes/object (top object retains {topRetained:N0} bytes)");
            return (seconds, extra);
        }
        catch (NotImplementedException)
        {
            log.WriteLine("dominator tree + retained sizes: n/a (DominatorTree is not implemented yet)");
            return (null, null);
        }
    }

    private static double Time(Action run)
    {
        SettledManagedBytes(); // start each run from a collected heap, like a fresh process
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    private static long WarmFileCache(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
            total += read;
        return total;
    }

    private static long SettledManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long CurrentPeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    private static string PerObject(long bytes, int objects) => objects == 0 ? "n/a" : (bytes / objects).ToString(CultureInfo.InvariantCulture);

    private static string Line(string what, double seconds, int objects) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: {seconds:F3} s best of {Repeats} ({objects / Math.Max(seconds, 1e-9) / 1e6:F2} M objects/s)");
}
