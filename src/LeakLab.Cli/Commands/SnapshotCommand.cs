using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LeakLab.Cli.Commands;

/// <summary>
/// <c>leaklab snapshot (--pid N | --name NAME) [-o FILE.llhg]</c>: a light heap snapshot over EventPipe, saved as a
/// LeakLab heap graph file that every analysis command reads like a dump.
/// </summary>
internal static class SnapshotCommand
{
    public static Command Create(CliContext context)
    {
        Option<int?> pid = new("--pid", "-p") { Description = "Process id to snapshot.", HelpName = "PID" };
        Option<string?> name = new("--name") { Description = "Process name to snapshot (must match exactly one .NET process).", HelpName = "NAME" };
        Option<string?> output = new("--output", "-o")
        {
            Description = "Snapshot file to write (default: leaklab-NAME-PID-TIME.llhg in the current folder, or in this folder if it exists).",
            HelpName = "FILE",
        };
        Option<bool> overwrite = new("--overwrite") { Description = "Replace the output file if it exists." };
        Option<int?> timeout = new("--timeout")
        {
            Description = $"Seconds to wait for the target's heap walk (default {HeapSnapshotOptions.DefaultTimeout.TotalSeconds:0}).",
            HelpName = "SECONDS",
        };
        Option<int?> buffer = new("--buffer")
        {
            Description = "The session's buffer in the target, in MiB (default: sized from the target's memory so the whole heap walk fits; the target frees it afterwards).",
            HelpName = "MIB",
        };
        Option<bool> json = CommonOptions.Json();

        var command = new Command("snapshot",
            "Take a light heap snapshot of a running .NET process over EventPipe: no dump file and no DAC, usually a few seconds. "
            + "Snapshots have no field names (paths show '?' for fields) and no object contents; use 'leaklab dump' for those. "
            + "Taking one costs the target one induced, blocking gen2 GC (about 0.2 s per million objects). "
            + "Read the file with stats, paths, roots, retained and diff like a dump.")
        {
            pid, name, output, overwrite, timeout, buffer, json,
        };
        CommonOptions.RequireExactlyOne(command, pid, name, "snapshot needs exactly one of --pid PID or --name NAME");
        command.SetAction(parse =>
        {
            int seconds = CommonOptions.Positive(parse.GetValue(timeout), "--timeout", (int)HeapSnapshotOptions.DefaultTimeout.TotalSeconds);
            int target = parse.GetValue(pid) ?? DotNetProcesses.FindByName(parse.GetValue(name)!).Pid;
            if (target <= 0)
                throw new UsageException($"--pid must be a positive process id, got {target}");
            // Checked before the snapshot, so a typo in the folder does not cost the target a blocking GC.
            string path = ResolveOutputPath(target, parse.GetValue(output), parse.GetValue(overwrite));

            context.Progress.Phase($"snapshotting process {target} over EventPipe");
            HeapSnapshotResult result = HeapSnapshotCapture.CaptureWithTimings(target, new HeapSnapshotOptions
            {
                Timeout = TimeSpan.FromSeconds(seconds),
                BufferMB = parse.GetValue(buffer) is int mb ? CommonOptions.Positive(mb, "--buffer", mb) : null,
                Progress = context.Progress,
                CancellationToken = context.Cancellation,
            });
            HeapGraph graph = result.Graph;
            context.Progress.Done(FormattableString.Invariant(
                $"snapshot of process {target}: {graph.NodeCount:N0} objects, {graph.EdgeCount:N0} references, {graph.Roots.Count:N0} roots"));
            context.WarnIfNotClean($"process {target}", LoadReport.Of(graph));

            context.Progress.Phase($"saving {Path.GetFileName(path)}");
            HeapSnapshotFile.Save(graph, path);
            long bytes = new FileInfo(path).Length;
            context.Progress.Done($"saved {Path.GetFileName(path)}");

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(Json(path, bytes, target, result));
                return CliApp.Success;
            }
            context.Out.WriteLine($"Wrote {path}");
            context.Out.WriteLine(FormattableString.Invariant(
                $"  {ByteSize.Format(bytes)} ({bytes:N0} bytes), {graph.NodeCount:N0} objects, {graph.TypeCount:N0} types, {graph.Roots.Count:N0} roots, process {target}"));
            context.Out.WriteLine(
                $"  target paused {Milliseconds(result.TargetPause)} by GC #{result.GcNumber}; total {ProgressLine.Seconds(result.Elapsed)} (session start {Milliseconds(result.SessionStart)})");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The absolute output path: the default name (in the current folder, or in <paramref name="output"/> when that is a folder), or the file given.</summary>
    private static string ResolveOutputPath(int pid, string? output, bool overwrite)
    {
        string path;
        if (string.IsNullOrWhiteSpace(output))
            path = Path.GetFullPath(DefaultFileName(pid));
        else if (Directory.Exists(output) || Path.EndsInDirectorySeparator(output))
            path = Path.Combine(Path.GetFullPath(output), DefaultFileName(pid));
        else
            path = Path.GetFullPath(output);

        string folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"folder '{folder}' does not exist; create it or choose another output path");
        if (Directory.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"'{path}' is a folder; give a file name for the snapshot");
        if (File.Exists(path) && !overwrite)
            throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"'{path}' already exists; choose another file name or pass --overwrite");
        return path;
    }

    /// <summary>Like the dump command's default name (leaklab-NAME-PID-TIME), with the snapshot extension.</summary>
    private static string DefaultFileName(int pid)
    {
        string name = DotNetProcesses.List().FirstOrDefault(p => p.Pid == pid)?.Name ?? "process";
        char[] invalid = Path.GetInvalidFileNameChars();
        var safe = new StringBuilder(name.Length);
        foreach (char c in name)
            safe.Append(invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c);
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return $"leaklab-{safe}-{pid}-{stamp}{HeapSnapshotFile.Extension}";
    }

    private static string Json(string path, long bytes, int pid, HeapSnapshotResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteNumber("bytes", bytes);
            w.WriteNumber("pid", pid);
            w.WriteNumber("objects", result.Graph.NodeCount);
            w.WriteNumber("references", result.Graph.EdgeCount);
            w.WriteNumber("types", result.Graph.TypeCount);
            w.WriteNumber("roots", result.Graph.Roots.Count);
            w.WriteNumber("gc", result.GcNumber);
            w.WriteNumber("pauseMs", Math.Round(result.TargetPause.TotalMilliseconds, 1));
            w.WriteNumber("sessionStartMs", Math.Round(result.SessionStart.TotalMilliseconds, 1));
            w.WriteNumber("elapsedMs", Math.Round(result.Elapsed.TotalMilliseconds, 1));
            w.WriteNumber("walkReceivedMs", Math.Round(result.WalkReceived.TotalMilliseconds, 1));
            w.WriteNumber("bufferMB", result.BufferMB);
            w.WriteNumber("streamBytes", result.StreamBytes);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Milliseconds(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
