using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab bench snapshot</c>: EventPipe heap snapshots of the sample program holding 1M, 5M and 20M objects, each
/// against dotnet-gcdump and a dump of the same process. The last stdout line is the summary:
/// <c>snapshot/gcdump=R pause-ms-per-million=N max-objects=M</c>.
/// </summary>
/// <remarks>
/// For each size: start <c>LeakLab.Sample control --rate 0 --ballast N</c> (quiet: nothing changes between the three
/// tools), take a LeakLab snapshot, run <c>dotnet-gcdump collect</c> and read its report, write a dump and count its
/// objects, stop the sample. R is the worst (largest) ratio of LeakLab's total snapshot time to gcdump's collect time
/// over the sizes both finished; N the worst target pause (the heap-walk GC, GCStart to GCStop) per million objects;
/// M the most objects one snapshot held. A size that fails is reported on its row and left out of the summary.
/// </remarks>
internal static partial class SnapshotBench
{
    public static readonly long[] DefaultSizes = [1_000_000, 5_000_000, 20_000_000];
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromMinutes(10);

    private sealed record Row(long Ballast, int Objects, double SnapshotSeconds, double PauseMs, int BufferMB, long? GcDumpObjects, double? GcDumpSeconds, long? DumpObjects, string? Failure);

    public static int Run(CliContext context, IReadOnlyList<long> sizes, string? gcdumpPath)
    {
        TextWriter log = context.Out;
        string gcdump = PeerTool.Find("dotnet-gcdump", gcdumpPath, "--gcdump");
        string sampleDll = SampleLocator.Find(context.Progress, context.Cancellation);
        log.WriteLine($"snapshot benchmark: sample {sampleDll}, peer {gcdump}");
        log.WriteLine("ballast      objects  snapshot-s  pause-ms  ms/M-obj  buffer-MiB  gcdump-objects  gcdump-s  snap/gcdump  dump-objects  snap/dump");
        var rows = new List<Row>();
        foreach (long size in sizes)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            Row row = Measure(context, sampleDll, gcdump, size);
            rows.Add(row);
            log.WriteLine(Format(row));
        }

        var done = rows.Where(r => r.Failure is null).ToList();
        double ratio = done.Where(r => r.GcDumpSeconds > 0).Select(r => r.SnapshotSeconds / r.GcDumpSeconds!.Value).DefaultIfEmpty(double.NaN).Max();
        double pausePerMillion = done.Select(r => r.PauseMs / (r.Objects / 1e6)).DefaultIfEmpty(double.NaN).Max();
        int maxObjects = done.Select(r => r.Objects).DefaultIfEmpty(0).Max();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot/gcdump={ratio:0.00} pause-ms-per-million={pausePerMillion:0} max-objects={maxObjects}"));
        return rows.All(r => r.Failure is null) ? CliApp.Success : 1;
    }

    private static Row Measure(CliContext context, string sampleDll, string gcdump, long ballast)
    {
        using var folder = new BenchFolder();
        context.Progress.Phase($"starting the sample with {ballast:N0} ballast objects");
        using Process sample = StartSample(sampleDll, ballast, context.Cancellation);
        try
        {
            context.Progress.Phase($"snapshot of {ballast:N0} objects");
            HeapSnapshotResult snap;
            try
            {
                snap = HeapSnapshotCapture.CaptureWithTimings(sample.Id, new HeapSnapshotOptions
                {
                    Timeout = TimeSpan.FromMinutes(2),
                    Progress = context.Progress,
                    CancellationToken = context.Cancellation,
                });
            }
            catch (LeakLabException ex)
            {
                return new Row(ballast, 0, 0, 0, 0, null, null, null, ex.Message);
            }
            int objects = snap.Graph.NodeCount;
            double seconds = snap.Elapsed.TotalSeconds;
            double pause = snap.TargetPause.TotalMilliseconds;
            int buffer = snap.BufferMB;
            snap = null!; // the graph of 20M objects is gigabytes; let it go before gcdump and the dump
            GC.Collect();

            context.Progress.Phase($"dotnet-gcdump of {ballast:N0} objects");
            (long? gcObjects, double? gcSeconds) = RunGcDump(gcdump, sample.Id, folder.File("peer.gcdump"));

            context.Progress.Phase($"dump of {ballast:N0} objects");
            string dump = folder.File("bench.dmp");
            DumpCapture.Write(sample.Id, dump);
            long dumpObjects = DumpLoader.ReadTypeStatistics(dump).Sum(s => s.Count);
            File.Delete(dump);
            context.Progress.Done($"{ballast:N0} ballast objects measured");
            return new Row(ballast, objects, seconds, pause, buffer, gcObjects, gcSeconds, dumpObjects, null);
        }
        finally
        {
            try { sample.Kill(entireProcessTree: true); sample.WaitForExit(10_000); }
            catch (InvalidOperationException) { }
        }
    }

    private static Process StartSample(string dll, long ballast, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(DotNetHost.Path()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { dll, "control", "--rate", "0", "--ballast", ballast.ToString(CultureInfo.InvariantCulture),
                     "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        Process process = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, "could not start the sample program");
        process.ErrorDataReceived += (_, _) => { }; // drained, never read: the sample logs to stderr
        process.BeginErrorReadLine();
        Task<string?> ready = Task.Run(() =>
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("LEAKLAB-READY ", StringComparison.Ordinal)) { }
            return line;
        }, cancel);
        if (!ready.Wait(s_readyTimeout, cancel) || ready.Result is null)
        {
            process.Kill(entireProcessTree: true);
            throw new LeakLabException(LeakLabErrorKind.Failed, $"the sample with --ballast {ballast} was not ready within {s_readyTimeout.TotalMinutes:0} min");
        }
        // Keep draining stdout: createdump writes its log lines there while the dump is taken.
        _ = Task.Run(() => process.StandardOutput.ReadToEnd(), CancellationToken.None);
        return process;
    }

    /// <summary>dotnet-gcdump collect (timed) and report (its object count); nulls when it failed.</summary>
    private static (long? Objects, double? Seconds) RunGcDump(string tool, int pid, string output)
    {
        var clock = Stopwatch.StartNew();
        if (RunTool(tool, ["collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", output]) is null || !File.Exists(output))
            return (null, null);
        double seconds = clock.Elapsed.TotalSeconds;
        string? report = RunTool(tool, ["report", output]);
        long? objects = report is null ? null : GcDumpRow().Matches(report).Sum(m => long.Parse(m.Groups["count"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        return (objects, seconds);
    }

    private static string? RunTool(string tool, string[] args)
    {
        var psi = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process p = Process.Start(psi) ?? throw new LeakLabException(LeakLabErrorKind.Failed, $"could not start {tool}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(s_toolTimeout))
        {
            p.Kill(entireProcessTree: true);
            return null;
        }
        return p.ExitCode == 0 ? stdout.Result : null;
    }

    private static string Format(Row r)
    {
        if (r.Failure is not null)
            return string.Create(CultureInfo.InvariantCulture, $"{r.Ballast,10:N0}  FAILED: {r.Failure}");
        string gcObjects = r.GcDumpObjects is long g ? g.ToString("N0", CultureInfo.InvariantCulture) : "failed";
        string gcSeconds = r.GcDumpSeconds is double s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "-";
        string ratio = r.GcDumpSeconds is double t && t > 0 ? (r.SnapshotSeconds / t).ToString("0.00", CultureInfo.InvariantCulture) : "-";
        string vsDump = r.DumpObjects is long d && d > 0 ? ((double)r.Objects / d).ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.Ballast,10:N0} {r.Objects,12:N0} {r.SnapshotSeconds,11:0.0} {r.PauseMs,9:0} {r.PauseMs / (r.Objects / 1e6),9:0} {r.BufferMB,11:N0} {gcObjects,15} {gcSeconds,9} {ratio,12} {r.DumpObjects,13:N0} {vsDump,10}");
    }

    /// <summary>A private temp folder for the gcdump and dump files, deleted with everything in it.</summary>
    private sealed class BenchFolder : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("leaklab-bench-").FullName;
        public string File(string name) => Path.Combine(_path, name);
        public void Dispose()
        {
            try { Directory.Delete(_path, recursive: true); }
            catch (IOException) { }
        }
    }

    // "         32       300  Shop.Caching.Invoice  [LeakLab.TestTargets.dll]": size, count, type, module
    [GeneratedRegex(@"^\s*[\d,]+\s+(?<count>[\d,]+)\s+\S.*?\s+\[[^\]]*\]\s*$", RegexOptions.Multiline)]
    private static partial Regex GcDumpRow();
}
