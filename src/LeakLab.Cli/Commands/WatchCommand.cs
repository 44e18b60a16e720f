using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab watch (--pid N | --name NAME) [--interval T] [--snapshots K] [--duration D] [--out DIR] [--dump-on-alert] [--json]</c>:
/// traces a live process for a while (counters, GC timeline, allocation samples with stacks, K heap snapshots) into a
/// folder and raises a leak warning by the rule of <see cref="LeakWarning"/>.
/// </summary>
/// <remarks>
/// Exit codes: 0 the watch ran its full duration (with or without a warning: read "alert"), 3 the target exited
/// during the watch, 130 cancelled (Ctrl+C); in all three the files and summary.json are written. 1 and 2 as for every
/// command (nothing could be watched, bad usage).
/// </remarks>
internal static class WatchCommand
{
    public const int TargetExited = 3;
    public const string SummaryFile = "summary.json";
    private const int DefaultDuration = 30;
    private const int DefaultSnapshots = 3;

    public static Command Create(CliContext context)
    {
        Option<int?> pid = new("--pid", "-p") { Description = "Process id to watch.", HelpName = "PID" };
        Option<string?> name = new("--name") { Description = "Process name to watch (must match exactly one .NET process).", HelpName = "NAME" };
        Option<int?> interval = new("--interval") { Description = "Seconds between counter samples (default 1).", HelpName = "SECONDS" };
        Option<int?> snapshots = new("--snapshots")
        {
            Description = $"Heap snapshots to take, spread evenly from the start to the end of the watch (default {DefaultSnapshots}; 0 for none). Each costs the target one blocking gen2 GC.",
            HelpName = "K",
        };
        Option<int?> duration = new("--duration") { Description = $"Seconds to watch (default {DefaultDuration}).", HelpName = "SECONDS" };
        Option<string?> output = new("--out", "-o")
        {
            Description = "Folder to write into (created owner-only; default leaklab-watch-PID-TIME in the current folder). Must not exist or be empty.",
            HelpName = "DIR",
        };
        Option<bool> dumpOnAlert = new("--dump-on-alert")
        {
            Description = $"Write one heap dump ({LiveWatch.AlertDumpFile} in the folder) the first time the leak warning fires.",
        };
        Option<bool> json = CommonOptions.Json();

        var command = new Command("watch",
            "Watch a running .NET process: System.Runtime counters and the GC timeline (CSV), allocation samples by type, "
            + "heap snapshots (.llhg) and summary.json in one folder, with a leak warning when the heap left after gen2 GCs "
            + "keeps growing and the snapshots name growing types. Exit code 0 when the watch ran to its end, "
            + $"{TargetExited} when the target exited first, 130 on Ctrl+C; the files are kept in every case.")
        {
            pid, name, interval, snapshots, duration, output, dumpOnAlert, json,
        };
        CommonOptions.RequireExactlyOne(command, pid, name, "watch needs exactly one of --pid PID or --name NAME");
        command.SetAction(parse =>
        {
            int seconds = CommonOptions.Positive(parse.GetValue(duration), "--duration", DefaultDuration);
            int every = CommonOptions.Positive(parse.GetValue(interval), "--interval", 1);
            int k = parse.GetValue(snapshots) ?? DefaultSnapshots;
            if (k < 0)
                throw new UsageException($"--snapshots must be 0 or more, got {k}");
            int target = parse.GetValue(pid) ?? DotNetProcesses.FindByName(parse.GetValue(name)!).Pid;
            if (target <= 0)
                throw new UsageException($"--pid must be a positive process id, got {target}");
            string? given = parse.GetValue(output);
            bool created = string.IsNullOrWhiteSpace(given) || !Directory.Exists(Path.GetFullPath(given));
            string folder = CreateFolder(given, target);
            if (string.IsNullOrWhiteSpace(parse.GetValue(output)))
                context.Progress.Note($"no --out DIR given: the files go to a new folder in the current one, {Path.GetFileName(folder)}");
            var options = new LiveWatchOptions(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(every), k, parse.GetValue(dumpOnAlert));
            return Watch(context, target, folder, created, options, parse.GetValue(json));
        });
        return command;
    }

    private static int Watch(CliContext context, int pid, string folder, bool createdFolder, LiveWatchOptions options, bool json)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        using var recorder = new LiveRecorder(folder, started);
        context.Progress.Phase($"watching process {pid}");
        LiveWatchResult result;
        try
        {
            result = LiveWatch.Run(pid, folder, recorder, started, options, new Progress(context, options.Duration), context.Cancellation);
        }
        catch (LeakLabException) when (recorder is { CounterRows: 0, AllocationSamples: 0, Gcs.Count: 0 })
        {
            // The watch never started (no such process, not .NET, unreachable): leave no folder of empty CSVs behind.
            recorder.Dispose();
            RemoveEmpty(folder, createdFolder);
            throw;
        }

        string summary = Summary(result, recorder);
        using (var file = new StreamWriter(LiveRecorder.CreateOwnerOnly(Path.Combine(folder, SummaryFile)), new UTF8Encoding(false)))
            file.WriteLine(summary);

        if (json)
            context.Out.WriteLine(summary);
        else
            WriteText(context.Out, context.TextOptions, result, recorder);
        return result.Ending switch
        {
            LiveWatchEnding.Exited => TargetExited,
            LiveWatchEnding.Cancelled => CliApp.Cancelled,
            _ => CliApp.Success,
        };
    }

    /// <summary>The watch's progress on stderr: an updating status line, notes, and the end of the phase.</summary>
    private sealed class Progress(CliContext context, TimeSpan duration) : ILiveWatchProgress
    {
        public void Note(string text) => context.Progress.Note(text);
        public void Stopped(string summary) => context.Progress.Done(summary);
        public void Tick(LiveTrace trace, LiveRecorder recorder, TimeSpan elapsed, int snapshotsTaken, int snapshotsWanted) =>
            context.Progress.Update(Status(recorder, trace, snapshotsTaken, snapshotsWanted, elapsed, duration));
    }

    /// <summary>
    /// The status line's fields, most useful first (a narrow terminal drops the last ones): time, heap, snapshots, the
    /// heap after the last gen2 GC, GCs, samples, events. Every size in binary units, as the rest of the output.
    /// </summary>
    private static IReadOnlyList<string> Status(LiveRecorder recorder, LiveTrace trace, int snapshots, int snapshotCount, TimeSpan elapsed, TimeSpan duration)
    {
        var fields = new List<string> { FormattableString.Invariant($"{elapsed.TotalSeconds:0}/{duration.TotalSeconds:0} s") };
        fields.Add(recorder.Latest("gc-heap-size") is { } h ? $"heap {ByteSize.Format(CounterBytes(h))}" : "heap ?");
        if (snapshotCount > 0)
            fields.Add($"snapshots {snapshots}/{snapshotCount}");
        if (recorder.Gcs.LastOrDefault(g => g.Generation == 2) is { } g2)
            fields.Add($"after gen2 {ByteSize.Format(g2.HeapAfter)}");
        fields.Add(FormattableString.Invariant($"{recorder.Gcs.Count:N0} GCs"));
        fields.Add(FormattableString.Invariant($"{recorder.AllocationSamples:N0} samples"));
        fields.Add(FormattableString.Invariant($"{trace.EventCount:N0} events"));
        return fields;
    }

    /// <summary>A System.Runtime size counter in bytes: its "MB" are decimal megabytes (the runtime divides by 1,000,000).</summary>
    private static long CounterBytes(RuntimeCounterSample sample) => sample.Unit switch
    {
        "MB" => (long)(sample.Value * 1_000_000),
        "KB" => (long)(sample.Value * 1_000),
        _ => (long)sample.Value,
    };

    /// <summary>The output folder, created owner-only; an existing non-empty folder is refused so two watches never mix files.</summary>
    private static string CreateFolder(string? output, int pid)
    {
        string folder = Path.GetFullPath(string.IsNullOrWhiteSpace(output)
            ? $"leaklab-watch-{pid}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"
            : output);
        if (File.Exists(folder))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"'{folder}' is a file; give --out a folder that does not exist yet or is empty");
        if (Directory.Exists(folder))
        {
            if (Directory.EnumerateFileSystemEntries(folder).Any())
                throw new LeakLabException(LeakLabErrorKind.BadArgument, $"folder '{folder}' is not empty; give --out a new or empty folder");
            return folder;
        }
        string? parent = Path.GetDirectoryName(folder);
        if (parent is not null && !Directory.Exists(parent))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"folder '{parent}' does not exist; create it or choose another --out");
        PrivateFile.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Deletes the files a watch that collected nothing wrote into <paramref name="folder"/> (<see cref="CreateFolder"/>
    /// took only a new or empty one), and the folder if this watch created it.</summary>
    private static void RemoveEmpty(string folder, bool created)
    {
        try
        {
            foreach (string file in Directory.EnumerateFiles(folder))
                File.Delete(file);
            if (created)
                Directory.Delete(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error that stopped the watch is the one to report.
        }
    }

    private static string Summary(LiveWatchResult result, LiveRecorder recorder)
    {
        var (pid, folder, started, watched, ending) = (result.Pid, result.Folder, result.Started, result.Watched, result.Ending);
        var (snapshots, failures, warning) = (result.Snapshots, result.Failures, result.Warning);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteBoolean("alert", warning.Alert);
            w.WriteString("reason", warning.Reason);
            w.WriteStartArray("growing");
            foreach (TypeTrend t in warning.Growing)
            {
                w.WriteStartObject();
                w.WriteString("type", t.Type);
                WriteArray(w, "counts", t.Counts);
                WriteArray(w, "bytes", t.Bytes);
                WriteArray(w, "retained", t.Retained);
                w.WriteString("why", t.Reason);
                w.WriteStartArray("stacks");
                foreach (AllocationStack stack in recorder.StacksOf(t.Type))
                    WriteStack(w, stack);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("sampler", result.Sampler == AllocationSampler.Randomized ? "AllocationSampled" : "GCAllocationTick");
            if (warning.Limit is { } limit)
            {
                w.WriteStartObject("memoryLimit");
                w.WriteNumber("bytes", limit.Bytes);
                w.WriteString("source", limit.Source);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("memoryLimit");
            }
            if (result.AlertDump is { } dump)
                w.WriteString("alertDump", Path.GetFileName(dump.Path));
            else
                w.WriteNull("alertDump");
            w.WriteNumber("snapshots", snapshots.Count);
            w.WriteNumber("samples", recorder.AllocationSamples);
            w.WriteNumber("pid", pid);
            w.WriteString("folder", folder);
            w.WriteString("ended", ending.ToString().ToLowerInvariant());
            w.WriteString("started", started.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
            w.WriteNumber("seconds", Math.Round(watched.TotalSeconds, 2));
            w.WriteNumber("sessionStartMs", Math.Round(result.SessionStart.TotalMilliseconds, 1));
            w.WriteNumber("events", result.Events);
            w.WriteNumber("counterValues", recorder.CounterRows);
            IReadOnlyList<GcRecord> gcs = recorder.Gcs;
            w.WriteNumber("gcs", gcs.Count);
            WriteArray(w, "gen2LiveAfter", warning.LiveAfterGen2);
            WriteArray(w, "gen2HeapAfter", gcs.Where(g => g.Generation == 2).Select(g => g.HeapAfter));
            w.WriteStartArray("snapshotFiles");
            foreach (var s in snapshots)
            {
                w.WriteStartObject();
                w.WriteString("file", Path.GetFileName(s.File));
                w.WriteNumber("objects", s.Result.Graph.NodeCount);
                w.WriteNumber("gc", s.Result.GcNumber);
                w.WriteNumber("pauseMs", Math.Round(s.Result.TargetPause.TotalMilliseconds, 1));
                w.WriteNumber("elapsedMs", Math.Round(s.Result.Elapsed.TotalMilliseconds, 1));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("allocations");
            foreach (var (type, samples, bytes) in recorder.AllocationsByType().Take(20))
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                w.WriteNumber("samples", samples);
                w.WriteNumber("bytes", bytes);
                w.WriteStartArray("stacks");
                foreach (AllocationStack stack in recorder.StacksOf(type, 1))
                    WriteStack(w, stack);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("errors");
            foreach (string f in failures)
                w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStack(Utf8JsonWriter w, AllocationStack stack)
    {
        w.WriteStartObject();
        w.WriteNumber("samples", stack.Samples);
        w.WriteNumber("bytes", stack.Bytes);
        w.WriteStartArray("frames");
        foreach (string frame in stack.Frames)
            w.WriteStringValue(frame);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<long> values)
    {
        w.WriteStartArray(name);
        foreach (long v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    /// <summary>
    /// "952 → 3,890 → 6,872 objects"; for a type whose count stays put, what grows instead: its bytes (an array
    /// resized, "1 object, 4.2 KiB → 16.5 KiB → 33 KiB"), else what it retains (a collection whose entries grow,
    /// "1 object retaining 1.1 MiB → 3.4 MiB → 5.6 MiB").
    /// </summary>
    private static string Growth(TypeTrend t)
    {
        static string Series(IEnumerable<string> values) => string.Join(" → ", values);
        static bool Grows(long[] values) => values.Length > 1 && values[^1] != values[0];
        string objects = Count(t.Counts.Length > 0 ? t.Counts[0] : 0, "object");
        if (!t.Counts.All(c => t.Counts.Length > 0 && c == t.Counts[0]))
            return $"{Series(t.Counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))} objects";
        if (Grows(t.Bytes))
            return $"{objects}, {Series(t.Bytes.Select(ByteSize.Format))}";
        if (Grows(t.Retained))
            return $"{objects} retaining {Series(t.Retained.Select(ByteSize.Format))}";
        // Same at the first and last snapshot: say why the comparison calls it growing rather than show a flat line.
        return $"{objects}; {t.Reason}";
    }

    /// <summary>"1 sample", "7 samples".</summary>
    private static string Count(long n, string noun) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    private static void WriteText(TextWriter output, TextReportOptions options, LiveWatchResult result, LiveRecorder recorder)
    {
        IReadOnlyList<GcRecord> gcs = recorder.Gcs;
        LeakWarning warning = result.Warning;
        output.WriteLine(FormattableString.Invariant(
            $"Watched process {result.Pid} for {ProgressLine.Seconds(result.Watched)}: {gcs.Count:N0} GCs ({gcs.Count(g => g.Generation == 2)} gen2), {recorder.AllocationSamples:N0} allocation samples, {result.Snapshots.Count} snapshots"));
        output.WriteLine($"  files in {result.Folder}");
        // Names as the tables show them (short unless --full-names); the stacks follow per type, so not in the sentence.
        string reason = warning.Describe(options.TypeName, options.RootName, withStack: false);
        output.Write(options.Wrap(warning.Alert ? $"LEAK WARNING: {reason}" : $"No leak warning: {reason}"));
        if (result.AlertDump is { } dump)
            output.WriteLine($"  dump at the alert: {dump.Path}");
        foreach (TypeTrend t in warning.Growing.Take(10))
        {
            output.Write(options.Wrap($"  {options.TypeName(t.Type)}: {Growth(t)}"));
            if (warning.Stacks.FirstOrDefault(s => s.Type == t.Type) is { } stack)
                output.Write(options.Wrap($"    allocated at {stack.Describe(6, options.RootName)} ({Count(stack.Samples, "sample")})"));
        }
        var top = recorder.AllocationsByType().Take(5).ToList();
        if (top.Count > 0)
        {
            output.WriteLine("Most allocated (sampled):");
            foreach (var (type, samples, bytes) in top)
                output.WriteLine($"  {ByteSize.Format(bytes),10}  {Count(samples, "sample"),11}  {options.TypeName(type)}");
        }
    }
}
