using System.Text;

namespace LeakLab.Cli;

/// <summary>
/// The CLI's stdout or stderr with every finished line fitted to the width (<see cref="TextReportOptions.FitLines"/>:
/// wrapped at spaces, later lines indented) and commands quoted the CLI's way (<see cref="CliQuotes"/>). The one place
/// that keeps that promise, whatever layer wrote the line: reports, notes, warnings and messages from the libraries.
/// </summary>
/// <remarks>
/// Lines are held until their '\n'. <see cref="Flush"/> writes a pending partial line as it is: that is the in-place
/// progress line ("\r\e[K..."), which <see cref="ProgressLine"/> already cuts to the terminal; of a line that ends
/// after a '\r', only the part after the last '\r' is fitted. <see cref="Enabled"/> off passes text through untouched
/// (JSON, whose strings must not be broken); a key=value record line is never broken either.
/// </remarks>
internal sealed class FittingWriter(TextWriter inner, Func<TextReportOptions> options) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly object _gate = new();

    public bool Enabled { get; set; } = true;

    /// <summary>The width lines are fitted to (int.MaxValue: none).</summary>
    public int Width => Enabled ? options().MaxWidth : int.MaxValue;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (!Enabled)
                inner.Write(value);
            else if (value == '\n')
                EmitLine();
            else
                _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        lock (_gate)
        {
            if (!Enabled)
            {
                inner.Write(value);
                return;
            }
            int start = 0;
            for (int end = value.IndexOf('\n'); end >= 0; start = end + 1, end = value.IndexOf('\n', start))
            {
                _line.Append(value, start, end - start);
                EmitLine();
            }
            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Write(value);
            Write('\n');
        }
    }

    public override void WriteLine() => Write('\n');

    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                inner.Write(_line.ToString());
                _line.Clear();
            }
            inner.Flush();
        }
    }

    private void EmitLine()
    {
        string line = _line.ToString();
        _line.Clear();
        int redraw = line.LastIndexOf('\r');
        if (redraw >= 0)
        {
            // "\r\e[K" erases the in-place progress line; what follows is the line that stays.
            int text = line.IndexOf("\u001b[K", redraw, StringComparison.Ordinal) is int k and >= 0 ? k + 3 : redraw + 1;
            inner.Write(line.AsSpan(0, text));
            line = line[text..];
        }
        inner.Write(IsRecord(line) ? line : options().FitLines(CliQuotes.Apply(line)));
        inner.Write('\n');
    }

    /// <summary>
    /// "stats/bare=0.95 load/bare=2.10 ...": a line of key=value words is a record scripts read by line (bench's
    /// summary), never broken.
    /// </summary>
    private static bool IsRecord(string line) =>
        line.Length > 0 && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(word => word.IndexOf('=') > 0);
}
