using System.Diagnostics;
using System.Globalization;

namespace LeakLab.Cli;

/// <summary>
/// Progress of long work (loading, dominators) on stderr: one line that updates in place when stderr is a terminal,
/// otherwise one plain line per finished phase with its duration, so logs and CI output stay readable. Thread-safe: loaders report
/// from worker threads.
/// </summary>
internal sealed class ProgressLine : IProgress<string>, IProgress<LoadProgress>
{
    private static readonly TimeSpan s_minInterval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _error;
    private readonly bool _interactive;
    private readonly object _gate = new();
    private readonly Stopwatch _phaseClock = new();
    private string? _phase;
    private TimeSpan _lastUpdate;

    public ProgressLine(TextWriter error, bool interactive)
    {
        _error = error;
        _interactive = interactive;
    }

    /// <summary>Starts a phase ("loading a.dmp").</summary>
    public void Phase(string text)
    {
        lock (_gate)
        {
            _phase = text;
            _phaseClock.Restart();
            _lastUpdate = TimeSpan.Zero;
            // Plain output shows only finished phases: a failure then leaves exactly one line on stderr, the error.
            if (_interactive)
            {
                _error.Write($"\r\u001b[K{Fit($"{text} ...")}");
                _error.Flush();
            }
        }
    }

    /// <summary>
    /// The in-place line cut to the terminal's width: a line that wraps cannot be redrawn with '\r', and each update
    /// would leave a new row behind.
    /// </summary>
    private static string Fit(string line)
    {
        int width = TerminalWidth() ?? int.MaxValue;
        return width <= 10 || line.Length < width ? line : line[..(width - 2)] + "…";
    }

    /// <summary>The terminal's columns, or null when there is none.</summary>
    private static int? TerminalWidth()
    {
        try { return Console.WindowWidth; }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or PlatformNotSupportedException) { return null; }
    }

    /// <summary>
    /// Detail made of fields in order of importance ("12/30 s", "heap 14.9 MiB", ...): as many leading fields as fit on
    /// the line whole, so a narrow terminal loses the least useful ones rather than one cut in the middle.
    /// </summary>
    public void Update(IReadOnlyList<string> fields)
    {
        if (!_interactive)
            return;
        string phase;
        lock (_gate)
            phase = _phase ?? "";
        int room = (TerminalWidth() is int width and > 10 ? width : int.MaxValue) - 1 - $"{phase} ... ".Length;
        Update(JoinFitting(fields, room));
    }

    /// <summary>The leading <paramref name="fields"/> joined by ", " that fit in <paramref name="width"/> columns (at least the first).</summary>
    public static string JoinFitting(IReadOnlyList<string> fields, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (string field in fields)
        {
            if (line.Length > 0 && line.Length + 2 + field.Length > width)
                break;
            line.Append(line.Length > 0 ? ", " : "").Append(field);
        }
        return line.ToString();
    }

    /// <summary>Detail within the phase ("1,200,000 objects"); shown only on a terminal, at most ten times a second.</summary>
    public void Update(string detail)
    {
        if (!_interactive)
            return;
        lock (_gate)
        {
            if (_phase is null || _phaseClock.Elapsed - _lastUpdate < s_minInterval)
                return;
            _lastUpdate = _phaseClock.Elapsed;
            _error.Write($"\r\u001b[K{Fit($"{_phase} ... {detail}")}");
            _error.Flush();
        }
    }

    /// <summary>Synchronous on the reporting thread (unlike <see cref="Progress{T}"/>), so no update lands after <see cref="Done"/>.</summary>
    void IProgress<string>.Report(string value) => Update(value);

    void IProgress<LoadProgress>.Report(LoadProgress value)
    {
        if (!_interactive)
            return;
        string detail = value.Total > 0
            ? $"{value.Phase} {Math.Clamp(100.0 * value.Done / value.Total, 0, 100).ToString("0", CultureInfo.InvariantCulture)}%"
            : value.Phase;
        Update(detail);
    }

    /// <summary>Ends the phase with a summary and its duration ("loaded a.dmp: 2,933,154 objects (3.2 s)").</summary>
    public TimeSpan Done(string summary)
    {
        lock (_gate)
        {
            TimeSpan elapsed = _phaseClock.Elapsed;
            string line = $"{summary} ({Seconds(elapsed)})";
            if (_interactive)
                _error.WriteLine($"\r\u001b[K{line}");
            else
                _error.WriteLine($"leaklab: {line}");
            _error.Flush();
            _phase = null;
            return elapsed;
        }
    }

    /// <summary>A plain message line (never overwritten).</summary>
    public void Note(string text)
    {
        lock (_gate)
        {
            if (_interactive && _phase is not null)
                _error.Write("\r\u001b[K");
            _error.WriteLine(_interactive ? text : $"leaklab: {text}");
            _error.Flush();
            if (_interactive && _phase is not null)
                _error.Write($"{_phase} ...");
        }
    }

    /// <summary>Erases an unfinished updating line, so an error message is the only thing left on it.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (_interactive && _phase is not null)
                _error.Write("\r\u001b[K");
            _phase = null;
        }
    }

    public static string Seconds(TimeSpan elapsed) =>
        elapsed.TotalSeconds.ToString(elapsed.TotalSeconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";
}
