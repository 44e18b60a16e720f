using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeakLab.Runner;

/// <summary>
/// A notebook read from .ipynb (nbformat 4, as .NET Interactive / Polyglot writes it) or .dib (<c>#!csharp</c>,
/// <c>#!markdown</c>, <c>#!meta</c> cells), and written back as an executed .ipynb.
/// </summary>
internal sealed class NotebookDocument
{
    private readonly JsonObject? _original; // the source .ipynb, so notebook metadata survives

    private NotebookDocument(List<NotebookCell> cells, JsonObject? original)
    {
        Cells = cells;
        _original = original;
    }

    public List<NotebookCell> Cells { get; }

    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path))
            throw new LeakLabException($"notebook not found: {path}");
        string text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => ParseIpynb(text, path),
            ".dib" => ParseDib(text),
            _ => throw new LeakLabException($"{path} is not a notebook; give a .ipynb or .dib file"),
        };
    }

    public static NotebookDocument ParseIpynb(string text, string path = "notebook.ipynb")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the top level is not an object");
        }
        catch (JsonException e)
        {
            throw new LeakLabException($"{path} is not valid notebook JSON ({e.Message.Split('\n')[0]}); open and save it in Jupyter or VS Code");
        }
        if (root["nbformat"]?.GetValueKind() == JsonValueKind.Number && root["nbformat"]!.GetValue<int>() < 4)
            throw new LeakLabException($"{path} uses nbformat {root["nbformat"]}; only nbformat 4 is supported (save it again in Jupyter)");
        if (root["cells"] is not JsonArray cells)
            throw new LeakLabException($"{path} has no \"cells\" array; it is not an nbformat 4 notebook");

        string defaultLanguage = DefaultLanguage(root);
        var list = new List<NotebookCell>();
        foreach (var node in cells)
        {
            if (node is not JsonObject cell)
                continue;
            string source = JoinSource(cell["source"]);
            string type = cell["cell_type"]?.GetValue<string>() ?? "code";
            switch (type)
            {
                case "markdown":
                    list.Add(new NotebookCell(CellKind.Markdown, "markdown", source, cell));
                    break;
                case "code":
                    string language = CellLanguage(cell) ?? defaultLanguage;
                    (language, source) = StripKernelSelector(language, source);
                    list.Add(new NotebookCell(language == "markdown" ? CellKind.Markdown : CellKind.Code, language, source, cell));
                    break;
                default:
                    list.Add(new NotebookCell(CellKind.Raw, "raw", source, cell));
                    break;
            }
        }
        return new NotebookDocument(list, root);
    }

    public static NotebookDocument ParseDib(string text)
    {
        var cells = new List<NotebookCell>();
        string? language = null;
        var current = new StringBuilder();
        void Flush()
        {
            if (language is null or "meta")
            {
                current.Clear();
                return;
            }
            string source = current.ToString().Trim('\r', '\n');
            current.Clear();
            if (source.Trim().Length == 0)
                return;
            cells.Add(new NotebookCell(language == "markdown" ? CellKind.Markdown : CellKind.Code, language, source));
        }

        foreach (string raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (KernelSelector(raw) is { } selected)
            {
                Flush();
                language = selected;
                continue;
            }
            language ??= "csharp"; // text before the first selector belongs to the default kernel
            current.Append(raw).Append('\n');
        }
        Flush();
        return new NotebookDocument(cells, null);
    }

    /// <summary>Writes the executed notebook: every cell with its outputs and execution counts.</summary>
    public void SaveIpynb(string path)
    {
        var root = _original?.DeepClone().AsObject() ?? NewNotebookRoot();
        var cells = new JsonArray();
        foreach (var cell in Cells)
        {
            var json = cell.Original?.DeepClone().AsObject() ?? new JsonObject { ["metadata"] = CellMetadata(cell) };
            if (cell.Original is null)
            {
                json["cell_type"] = cell.Kind switch { CellKind.Code => "code", CellKind.Markdown => "markdown", _ => "raw" };
                json["source"] = SplitSource(cell.Source);
            }
            json.Remove("outputs");
            json.Remove("execution_count");
            if (json["cell_type"]?.GetValue<string>() == "code")
            {
                json["execution_count"] = cell.ExecutionCount;
                json["outputs"] = new JsonArray([.. cell.Outputs.Select(o => (JsonNode)o.ToJson())]);
            }
            cells.Add(json);
        }
        root["cells"] = cells;
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false));
    }

    // ---- .NET Interactive conventions ----------------------------------------------------------------------

    /// <summary>"#!csharp" → "csharp"; "#!markdown" → "markdown"; "#!meta" → "meta"; else null (also for #!leaklab).</summary>
    internal static string? KernelSelector(string line)
    {
        string t = line.TrimEnd();
        return t switch
        {
            "#!csharp" or "#!c#" or "#!C#" => "csharp",
            "#!markdown" => "markdown",
            "#!meta" => "meta",
            "#!fsharp" or "#!f#" or "#!F#" => "fsharp",
            "#!pwsh" or "#!powershell" => "pwsh",
            "#!javascript" or "#!js" => "javascript",
            "#!html" => "html",
            "#!sql" => "sql",
            "#!mermaid" => "mermaid",
            _ => null,
        };
    }

    private static (string Language, string Source) StripKernelSelector(string language, string source)
    {
        int end = source.IndexOf('\n');
        string first = end < 0 ? source : source[..end];
        return KernelSelector(first) is { } selected and not "meta"
            ? (selected, end < 0 ? "" : source[(end + 1)..])
            : (language, source);
    }

    private static string DefaultLanguage(JsonObject root)
    {
        var meta = root["metadata"];
        string? name = meta?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>()
                    ?? meta?["kernelspec"]?["language"]?.GetValue<string>()
                    ?? meta?["language_info"]?["name"]?.GetValue<string>();
        return NormalizeLanguage(name) ?? "csharp";
    }

    private static string? CellLanguage(JsonObject cell)
    {
        var meta = cell["metadata"];
        string? name = meta?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                    ?? meta?["dotnet_interactive"]?["language"]?.GetValue<string>();
        return NormalizeLanguage(name);
    }

    private static string? NormalizeLanguage(string? name) => name?.ToLowerInvariant() switch
    {
        null => null,
        "c#" or "csharp" or "polyglot-notebook" or ".net-csharp" => "csharp",
        "f#" or "fsharp" => "fsharp",
        "markdown" => "markdown",
        var other => other,
    };

    private static string JoinSource(JsonNode? source) => source switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        _ => source.GetValue<string>(),
    };

    private static JsonArray SplitSource(string source)
    {
        var lines = new JsonArray();
        var parts = source.Split('\n');
        for (int i = 0; i < parts.Length; i++)
        {
            string line = i < parts.Length - 1 ? parts[i] + "\n" : parts[i];
            if (line.Length > 0)
                lines.Add(line);
        }
        return lines;
    }

    private static JsonObject CellMetadata(NotebookCell cell) => cell.Kind == CellKind.Markdown
        ? new JsonObject()
        : new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = cell.Language },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = cell.Language },
        };

    internal static JsonObject NewNotebookRoot() => new()
    {
        ["cells"] = new JsonArray(),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };
}
