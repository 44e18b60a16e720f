using System.Diagnostics;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// Where a reopen spends its time: with <c>LEAKLAB_TIMINGS=1</c> every index phase writes one line to stderr
/// (<c>leaklab: timing: PHASE MS ms (at MS ms since the process started)</c>), and the process's total at exit.
/// </summary>
internal static class IndexTimings
{
    public const string Variable = "LEAKLAB_TIMINGS";
    private static readonly bool Enabled = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v && v != "0";
    private static int _exitHooked;

    /// <summary>Starts a phase; disposing the result writes its line. Free when timings are off.</summary>
    public static Phase Start(string name)
    {
        if (Enabled && Interlocked.Exchange(ref _exitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                Write($"process total (cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:0} ms)", SinceStart());
        return new Phase(Enabled ? name : null, Enabled ? Stopwatch.GetTimestamp() : 0);
    }

    private static double SinceStart() => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;

    private static void Write(string name, double ms) =>
        Console.Error.WriteLine($"leaklab: timing: {name} {ms:0} ms (at {SinceStart():0} ms since the process started; {Memory()})");

    // Where the peak of resident memory comes from: the resident set now and at its highest, and the managed heap.
    private static string Memory()
    {
        using var self = Process.GetCurrentProcess();
        return $"rss {self.WorkingSet64 >> 20} MB, peak {self.PeakWorkingSet64 >> 20} MB, managed {GC.GetTotalMemory(false) >> 20} MB, committed {GC.GetGCMemoryInfo().TotalCommittedBytes >> 20} MB";
    }

    public readonly struct Phase(string? name, long started) : IDisposable
    {
        public void Dispose()
        {
            if (name is not null)
                Write(name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
