using System.Text.Json;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace LeakLab.Runner.Execution;

/// <summary>
/// Turns the kernel events of one cell into notebook outputs the way the kernel's Jupyter bridge does
/// (Microsoft.DotNet.Interactive.Jupyter ExecuteRequestHandler): displays and updates, the return value as the
/// result, stdout and stderr as streams (consecutive text joined), compiler diagnostics on stderr, a failure as
/// an error output.
/// </summary>
internal sealed class CellOutputs
{
    private readonly List<InteractiveDocumentOutputElement> _outputs;
    private readonly Dictionary<string, int> _displayIndex = new(StringComparer.Ordinal);

    public CellOutputs(List<InteractiveDocumentOutputElement> outputs) => _outputs = outputs;

    /// <summary>The first failure's message, one line; null while the cell has not failed.</summary>
    public string? FirstError { get; private set; }

    public void Add(KernelEvent e, int executionCount)
    {
        switch (e)
        {
            case ReturnValueProduced { Value: DisplayedValue }:
                break; // display(x) returns a handle; the display itself already arrived
            case ReturnValueProduced result:
                var element = new ReturnValueElement { ExecutionOrder = executionCount };
                foreach (var (mime, value) in Data(result.FormattedValues))
                    element.Data[mime] = value;
                _outputs.Add(element);
                break;
            case DisplayedValueUpdated update when update.ValueId is { } id && _displayIndex.TryGetValue(id, out int at):
                _outputs[at] = new DisplayElement(Data(update.FormattedValues));
                break;
            case DisplayEvent display and (DisplayedValueProduced or DisplayedValueUpdated):
                if (display.ValueId is { } valueId)
                    _displayIndex[valueId] = _outputs.Count;
                _outputs.Add(new DisplayElement(Data(display.FormattedValues)));
                break;
            case StandardOutputValueProduced stdout:
                Stream("stdout", Text(stdout));
                break;
            case StandardErrorValueProduced or ErrorProduced:
                Stream("stderr", Text((DisplayEvent)e));
                break;
            case DiagnosticsProduced { FormattedDiagnostics.Count: > 0 } diagnostics:
                Stream("stderr", string.Join(Environment.NewLine, diagnostics.FormattedDiagnostics.Select(d => d.Value)) + Environment.NewLine);
                break;
            case CommandFailed failed:
                string message = MessageText.OneLine(Summary(failed));
                if (FirstError == message)
                    break; // the same failure bubbles up through the parent commands
                FirstError ??= message;
                string[] trace = failed.Exception is { StackTrace: { } stack } and not CodeSubmissionCompilationErrorException
                    ? stack.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
                    : [];
                _outputs.Add(new ErrorElement(failed.Message ?? message, ErrorName(failed), trace));
                break;
        }
    }

    /// <summary>Adds an error output written by the runner itself (a timeout, a cancellation).</summary>
    public void Fail(string name, string message)
    {
        FirstError ??= message;
        _outputs.Add(new ErrorElement(message, name, []));
    }

    private void Stream(string name, string text)
    {
        if (text.Length == 0)
            return;
        if (_outputs.Count > 0 && _outputs[^1] is TextElement last && last.Name == name)
            _outputs[^1] = new TextElement(last.Text + text, name);
        else
            _outputs.Add(new TextElement(text, name));
    }

    private static Dictionary<string, object> Data(IEnumerable<FormattedValue> values)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var v in values)
            data[v.MimeType] = v.MimeType == JsonFormatter.MimeType && TryParseJson(v.Value) is { } json ? json : v.Value;
        return data;
    }

    // As the Jupyter bridge: application/json goes out as JSON, not as a string holding JSON.
    private static object? TryParseJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Text(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    // The kernel's message of a failed command is the exception's ToString (stack included); the run's one line takes
    // the exception's type and message. LeakLab's own errors are written to be read as they are.
    private static string Summary(CommandFailed failed) => failed.Exception switch
    {
        null or CodeSubmissionCompilationErrorException => failed.Message ?? "the cell failed",
        LeakLabException e => e.Message,
        var e => $"{e.GetType().Name}: {e.Message}",
    };

    private static string ErrorName(CommandFailed failed) => failed.Exception switch
    {
        null => "Error",
        CodeSubmissionCompilationErrorException => "CompilationError",
        var ex => ex.GetType().Name,
    };
}
