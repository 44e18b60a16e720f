using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace LeakLab.Capture;

/// <summary>Writes a dump of a running .NET process through its diagnostic port (the runtime runs createdump for us).</summary>
public static class DumpCapture
{
    /// <summary>Dumps taken in all before giving up on a process that is always in the middle of a garbage collection.</summary>
    public const int MaxAttempts = 4;

    /// <summary>
    /// Dumps process <paramref name="pid"/> to <paramref name="outputPath"/>, or to
    /// <c>leaklab-&lt;name&gt;-&lt;pid&gt;-&lt;yyyyMMdd-HHmmss&gt;.dmp</c> in the current directory when it is null
    /// (or in <paramref name="outputPath"/> when that is an existing folder). The file is created by the target's user with mode 0600.
    /// </summary>
    /// <remarks>
    /// A dump with the heap is opened once after writing to check that its GC heap can be walked; a dump that caught a
    /// garbage collection in the middle cannot be analysed, so it is taken again, up to <see cref="MaxAttempts"/> dumps in
    /// all, and <paramref name="note"/> hears about each retry. The check costs about as long as opening the dump; it runs
    /// in a child process under what is left of <paramref name="timeout"/> (at least 10 s), and a check that cannot finish
    /// in time is skipped: the dump is kept and <paramref name="note"/> says the check was skipped.
    /// </remarks>
    /// <param name="overwrite">Replace an existing file instead of failing.</param>
    /// <param name="note">Told, in one line, when a dump is taken again or its heap check was skipped; may be null.</param>
    /// <param name="timeout">
    /// How long one dump may take before it is abandoned (its createdump stopped, the partial file deleted); default
    /// <see cref="DumpTimeout.For"/> (60 s plus 1 s per 10 MB of the process's resident memory).
    /// </param>
    /// <param name="progress">Told the time spent so far on the current dump, about once a second while it is written; may be null.</param>
    /// <param name="cancellationToken">Abandons the dump like a timeout does, then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="LeakLabException">
    /// The process is not running, is not .NET, cannot be reached, the folder is missing or not writable, the file exists,
    /// createdump failed, the dump did not finish within <paramref name="timeout"/> (<see cref="LeakLabErrorKind.ProcessUnreachable"/>),
    /// or every attempt caught a garbage collection. The message is one line that says what to do.
    /// </exception>
    public static DumpResult Write(int pid, string? outputPath = null, DumpCaptureKind kind = DumpCaptureKind.WithHeap, bool overwrite = false,
        Action<string>? note = null, TimeSpan? timeout = null, Action<TimeSpan>? progress = null, CancellationToken cancellationToken = default)
    {
        RequireDotNetTarget(pid);
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"the dump timeout must be positive, not {t.TotalSeconds:0.###} s");

        // Always absolute: createdump runs as a child of the TARGET, so a relative path would land in the target's cwd.
        string path = ResolveOutputPath(pid, outputPath);
        string folder = Path.GetDirectoryName(path)!;
        RequireWritableFolder(folder, path);
        if (File.Exists(path))
        {
            if (!overwrite)
                throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"'{path}' already exists; choose another file name, or replace it (leaklab dump --overwrite)");
            DeleteExisting(path);
        }

        // Mini and triage dumps hold no GC heap, so there is nothing to walk and nothing to check.
        bool check = kind is DumpCaptureKind.WithHeap or DumpCaptureKind.Full;
        TimeSpan limit = timeout ?? DumpTimeout.For(pid);
        for (int attempt = 1; ; attempt++)
        {
            DumpResult result = WriteOnce(pid, path, kind, attempt, limit, progress, cancellationToken);
            if (!check)
                return result;
            // The check runs under what is left of this dump's deadline (at least CheckMinimum), and progress goes on counting.
            TimeSpan checkLimit = limit - result.Elapsed > CheckMinimum ? limit - result.Elapsed : CheckMinimum;
            DumpHeapCheck.Outcome outcome = DumpHeapCheck.Check(path, checkLimit, progress is null ? null : spent => progress(result.Elapsed + spent));
            if (outcome == DumpHeapCheck.Outcome.TimedOut)
                note?.Invoke($"the dump of process {pid} is written ('{path}'), but checking that its heap can be walked did not finish in {checkLimit.TotalSeconds:0} s and was skipped; "
                    + "if loading it says it caught a garbage collection, take it again");
            if (outcome != DumpHeapCheck.Outcome.MidGc)
                return result;
            if (attempt == MaxAttempts)
                throw DumpErrors.AlwaysMidGc(pid, path, attempt);
            note?.Invoke($"dump {attempt} of process {pid} caught it in the middle of a garbage collection (its heap cannot be walked); taking it again ({attempt + 1} of at most {MaxAttempts})");
            DeleteExisting(path);
            // A collection lasts milliseconds to a second on big heaps: wait a little longer each time.
            Thread.Sleep(TimeSpan.FromMilliseconds(250 * attempt));
        }
    }

    /// <summary>The least time the heap check of a dump is given, even when the write used up the dump's deadline.</summary>
    private static readonly TimeSpan CheckMinimum = TimeSpan.FromSeconds(10);

    private static DumpResult WriteOnce(int pid, string path, DumpCaptureKind kind, int attempt, TimeSpan timeout, Action<TimeSpan>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DateTimeOffset requested = DateTimeOffset.UtcNow;
        Request(pid, path, kind, timeout, progress, cancellationToken);
        clock.Stop();

        var file = new FileInfo(path);
        if (!file.Exists)
            throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"process {pid} reported success but no dump appeared at '{path}'; check the folder's free space and try again");
        try
        {
            // An ELF core records no wall-clock time; `diff` orders dumps by this one (see CaptureStamp).
            CaptureStamp.Append(path, requested, pid);
            file.Refresh();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The dump stays usable; only its capture time is unknown, and diff then keeps the order given.
        }
        return new DumpResult(path, file.Length, clock.Elapsed, pid, attempt);
    }

    /// <summary>
    /// Asks the runtime for the dump and waits at most <paramref name="timeout"/>. WriteDump without a deadline waits
    /// forever for a runtime that never answers (a frozen target, a createdump stuck on a starved machine).
    /// </summary>
    internal static void Request(int pid, string path, DumpCaptureKind kind, TimeSpan timeout, Action<TimeSpan>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        bool wasStopped = ProcFs.ReadState(pid) is 'T';
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            Task write = new DiagnosticsClient(pid).WriteDumpAsync(ToDumpType(kind), path, WriteDumpFlags.None, deadline.Token);
            while (!write.Wait(ProgressInterval))
            {
                // The client should stop at the deadline; if it is stuck where it does not look at the token, stop waiting anyway.
                if (deadline.IsCancellationRequested && clock.Elapsed > timeout + ProgressInterval * 5)
                {
                    _ = write.ContinueWith(t => t.Exception, TaskScheduler.Default);
                    throw new OperationCanceledException(deadline.Token);
                }
                progress?.Invoke(clock.Elapsed);
            }
        }
        catch (Exception caught) when (Unwrap(caught) is OperationCanceledException && deadline.IsCancellationRequested)
        {
            Abandon(pid, path, wasStopped);
            cancellationToken.ThrowIfCancellationRequested();
            throw DumpErrors.TimedOut(pid, path, timeout, clock.Elapsed);
        }
        catch (Exception caught) when (Unwrap(caught) is DiagnosticsClientException or UnauthorizedAccessException or IOException or TimeoutException)
        {
            throw DumpErrors.Translate(Unwrap(caught), pid, path);
        }
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerException: { } inner } ? inner : ex;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Stops the createdump of an abandoned request, resumes the target, and deletes the partial file.</summary>
    private static void Abandon(int pid, string path, bool wasStopped)
    {
        // A request the runtime had not yet read may still start createdump a moment later: give it a second to appear.
        CreatedumpChildren.Stop(pid, path, TimeSpan.FromSeconds(1), wasStopped);
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Written by the target's user; the timeout message still says what happened.
        }
    }

    /// <summary>
    /// Throws a one-line <see cref="LeakLabException"/> unless <paramref name="pid"/> is a running, reachable .NET process:
    /// a valid pid, alive, not stopped (a stopped runtime never answers, so we would hang until a timeout), with a diagnostic socket.
    /// Shared by dumps and EventPipe snapshots, so both give the same answer for the same bad target.
    /// </summary>
    internal static void RequireDotNetTarget(int pid)
    {
        if (pid <= 0)
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"{pid} is not a valid process id; run `leaklab ps` to list .NET processes");
        DotNetProcesses.RequireProcFs();
        if (!ProcFs.IsRunning(pid))
            throw new LeakLabException(LeakLabErrorKind.ProcessGone, $"process {pid} is not running; run `leaklab ps` to list .NET processes");
        if (ProcFs.ReadState(pid) is 'T' or 't')
            throw new LeakLabException(LeakLabErrorKind.ProcessUnreachable,
                $"process {pid} is stopped (by a signal or a debugger) and cannot answer; resume it (kill -CONT {pid}) or detach the debugger, then try again");
        if (DiagnosticSockets.Find(pid) is null)
        {
            string name = ProcFs.ReadComm(pid) is { } comm ? $" ({comm})" : "";
            throw new LeakLabException(LeakLabErrorKind.NoRuntime,
                $"process {pid}{name} is not a .NET process (no diagnostic socket), or it runs with DOTNET_EnableDiagnostics=0; run `leaklab ps` to list .NET processes");
        }
    }

    private static string ResolveOutputPath(int pid, string? outputPath)
    {
        string defaultName = DefaultFileName(pid);
        if (string.IsNullOrWhiteSpace(outputPath))
            return Path.GetFullPath(defaultName);
        string full = Path.GetFullPath(outputPath);
        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(outputPath))
            return Path.Combine(full, defaultName);
        return full;
    }

    private static string DefaultFileName(int pid)
    {
        string name = DotNetProcesses.Describe(pid)?.Name ?? "process";
        char[] invalid = Path.GetInvalidFileNameChars();
        string safe = new(name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return $"leaklab-{safe}-{pid}-{stamp}.dmp";
    }

    /// <summary>Fails early, naming the user's <paramref name="path"/>, when its folder is missing or refuses new files.</summary>
    private static void RequireWritableFolder(string folder, string path)
    {
        if (!Directory.Exists(folder))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"folder '{folder}' does not exist; create it or choose another output path");
        string probe = Path.Combine(folder, $".leaklab-write-test-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The system's reason names our probe file, and in /proc reads "could not find file": the user knows only
            // the path they asked for, so say what happened in our words.
            string reason = ex switch
            {
                UnauthorizedAccessException => " (permission denied)",
                FileNotFoundException or DirectoryNotFoundException => "",
                _ => $" ({OneLine(ex.Message.Replace(probe, path, StringComparison.Ordinal))})",
            };
            throw new LeakLabException(LeakLabErrorKind.WriteFailed,
                $"cannot write '{path}': folder '{folder}' does not take new files{reason}; choose a folder you can write to", ex);
        }
    }

    private static void DeleteExisting(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LeakLabException(LeakLabErrorKind.WriteFailed, $"cannot replace '{path}' ({OneLine(ex.Message)}); delete it or choose another file name", ex);
        }
    }

    private static DumpType ToDumpType(DumpCaptureKind kind) => kind switch
    {
        DumpCaptureKind.WithHeap => DumpType.WithHeap,
        DumpCaptureKind.Mini => DumpType.Normal,
        DumpCaptureKind.Triage => DumpType.Triage,
        DumpCaptureKind.Full => DumpType.Full,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown dump kind"),
    };

    internal static string OneLine(string text) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
