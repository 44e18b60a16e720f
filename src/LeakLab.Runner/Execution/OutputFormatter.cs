using System.Collections;
using System.Reflection;
using System.Text;

namespace LeakLab.Runner;

/// <summary>
/// Turns a value into a MIME bundle the way a .NET Interactive kernel does for types that carry a
/// <c>TypeFormatterSourceAttribute</c> (matched by NAME, formatters found by reflection: MimeType, Type,
/// Format(object, TextWriter)), so a notebook's outputs are the same in the kernel and in the headless runner.
/// Other values get text/plain (and an HTML table for sequences of records).
/// </summary>
internal static class OutputFormatter
{
    private const string Html = "text/html";
    private const string Text = "text/plain";
    private const int MaxSequenceRows = 1000;

    public static IReadOnlyDictionary<string, string> Format(object? value)
    {
        if (value is null)
            return new Dictionary<string, string> { [Text] = "null" };
        if (value is LeakLabResult result)
            return new Dictionary<string, string> { [Html] = result.ToHtml(), [Text] = result.ToText() };
        if (TryConventionFormat(value) is { } formatted)
            return formatted;
        if (value is string s)
            return new Dictionary<string, string> { [Text] = s };
        if (value is IEnumerable sequence && TableOf(sequence) is { } table)
            return new Dictionary<string, string> { [Html] = HtmlPresenter.Table(table.Columns, table.Rows), [Text] = PlainTable(table.Columns, table.Rows) };
        return new Dictionary<string, string> { [Text] = value.ToString() ?? "" };
    }

    /// <summary>The kernel's convention (notebook-hosts.md §1), run through reflection exactly as the kernel runs it.</summary>
    internal static Dictionary<string, string>? TryConventionFormat(object value)
    {
        Type type = value.GetType();
        var attribute = type.GetCustomAttributes(inherit: true).FirstOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        if (attribute is null)
            return null;
        if (attribute.GetType().GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType)
            return null;
        object source = Activator.CreateInstance(sourceType, nonPublic: true)!;
        var create = sourceType.GetMethod("CreateTypeFormatters") ?? throw new InvalidOperationException($"{sourceType} has no public CreateTypeFormatters()");
        if (create.Invoke(source, null) is not IEnumerable formatters)
            return null;
        string[] preferred = attribute.GetType().GetProperty("PreferredMimeTypes")?.GetValue(attribute) as string[] ?? [Html];

        var result = new Dictionary<string, string>();
        foreach (object formatter in formatters)
        {
            var ft = formatter.GetType();
            if (ft.GetProperty("MimeType")?.GetValue(formatter) is not string mime || !preferred.Contains(mime) || result.ContainsKey(mime))
                continue;
            if (ft.GetProperty("Type")?.GetValue(formatter) is Type applies && !applies.IsInstanceOfType(value))
                continue;
            MethodInfo format = ft.GetMethod("Format")!; // must not be overloaded: the kernel calls GetMethod("Format") too
            using var writer = new StringWriter();
            object? formatted;
            try
            {
                formatted = format.Invoke(formatter, [value, writer]);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // Report the formatter's own error, not reflection's "Exception has been thrown by the target of an invocation".
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
            if (formatted is true)
                result[mime] = writer.ToString();
        }
        return result.Count > 0 ? result : null;
    }

    private static (string[] Columns, List<IReadOnlyList<object?>> Rows)? TableOf(IEnumerable sequence)
    {
        var items = new List<object?>();
        foreach (object? item in sequence)
        {
            items.Add(item);
            if (items.Count >= MaxSequenceRows)
                break;
        }
        Type? element = items.FirstOrDefault(i => i is not null)?.GetType();
        if (element is null)
            return (["value"], []);
        bool scalar = element.IsPrimitive || element.IsEnum || element == typeof(string) || element == typeof(decimal);
        var props = scalar || items.Any(i => i is not null && i.GetType() != element)
            ? []
            : element.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToArray();
        if (props.Length == 0)
            return (["value"], [.. items.Select(i => (IReadOnlyList<object?>)[Cell(i)])]);
        return ([.. props.Select(p => p.Name)], [.. items.Select(i => (IReadOnlyList<object?>)[.. props.Select(p => Cell(i is null ? null : p.GetValue(i)))])]);
    }

    private static object? Cell(object? v) => v switch
    {
        null => null,
        string or long or int or short or byte or ulong or uint or double or float or decimal or bool => v,
        IEnumerable e => string.Join(", ", e.Cast<object?>().Take(20)),
        _ => v.ToString(),
    };

    private static string PlainTable(string[] columns, List<IReadOnlyList<object?>> rows)
    {
        var table = new TextTable([.. columns.Select(c => new TextColumn(c))]);
        foreach (var row in rows)
            table.AddRow([.. row.Select(v => (object?)(v?.ToString() ?? "null"))]);
        var sb = new StringBuilder(table.Render());
        return sb.ToString();
    }
}
