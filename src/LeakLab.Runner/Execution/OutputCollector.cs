using System.Text;

namespace LeakLab.Runner;

/// <summary>
/// Collects a cell's outputs in the order they happen: console text since the last output becomes a stream
/// output just before the next displayed value, so prints and displays interleave as in a kernel.
/// </summary>
internal sealed class OutputCollector
{
    private readonly object _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private NotebookCell? _cell;

    public TextWriter Stdout { get; }
    public TextWriter Stderr { get; }

    public OutputCollector()
    {
        Stdout = TextWriter.Synchronized(new Sink(this, _stdout));
        Stderr = TextWriter.Synchronized(new Sink(this, _stderr));
    }

    public void Begin(NotebookCell cell)
    {
        lock (_gate)
        {
            _cell = cell;
            _stdout.Clear();
            _stderr.Clear();
        }
    }

    public void Display(object? value) => Add(new DataOutput(OutputFormatter.Format(value), null));

    public void Result(object? value, int executionCount) => Add(new DataOutput(OutputFormatter.Format(value), executionCount));

    public void Note(string text)
    {
        lock (_gate)
        {
            FlushStreams();
            _cell?.Outputs.Add(new StreamOutput("stderr", text + "\n"));
        }
    }

    public void Error(ErrorOutput error) => Add(error);

    public void End()
    {
        lock (_gate)
        {
            FlushStreams();
            _cell = null;
        }
    }

    private void Add(CellOutput output)
    {
        lock (_gate)
        {
            FlushStreams();
            _cell?.Outputs.Add(output);
        }
    }

    private void FlushStreams()
    {
        if (_cell is null)
            return;
        if (_stdout.Length > 0)
            _cell.Outputs.Add(new StreamOutput("stdout", _stdout.ToString()));
        if (_stderr.Length > 0)
            _cell.Outputs.Add(new StreamOutput("stderr", _stderr.ToString()));
        _stdout.Clear();
        _stderr.Clear();
    }

    private sealed class Sink(OutputCollector owner, StringBuilder buffer) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) { lock (owner._gate) buffer.Append(value); }
        public override void Write(string? value) { lock (owner._gate) buffer.Append(value); }
        public override void Write(char[] buffer1, int index, int count) { lock (owner._gate) buffer.Append(buffer1, index, count); }
    }
}
