using System.Text;
using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace LeakLab.Runner.Documents;

/// <summary>
/// Reads a .ipynb or .dib with the kernel's own readers (Microsoft.DotNet.Interactive.Documents, as Polyglot
/// Notebooks does) and writes the executed notebook as .ipynb. Bad files become one-line <see cref="LeakLabException"/>s.
/// </summary>
internal static class NotebookFile
{
    /// <summary>The absolute path of an existing .ipynb or .dib file; a one-line <see cref="LeakLabException"/> otherwise.</summary>
    public static string Check(string file)
    {
        if (string.IsNullOrWhiteSpace(file))
            throw new LeakLabException(LeakLabErrorKind.BadArgument, "no notebook given; pass the path of a .ipynb or .dib file.");
        string path = Path.GetFullPath(file);
        if (Directory.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"'{file}' is a folder, not a notebook; pass the path of a .ipynb or .dib file.");
        if (!File.Exists(path))
            throw new LeakLabException(LeakLabErrorKind.FileMissing, $"notebook '{file}' does not exist; check the path.");
        if (Path.GetExtension(path).ToLowerInvariant() is not (".ipynb" or ".dib"))
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"'{file}' is not a notebook; pass a .ipynb (Jupyter) or .dib (Polyglot Notebooks) file.");
        return path;
    }

    public static InteractiveDocument Load(string file)
    {
        string path = Check(file);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        string text = File.ReadAllText(path);
        InteractiveDocument document;
        try
        {
            document = extension == ".dib"
                ? CodeSubmission.Parse(text, NotebookKernel.KernelInfos())
                : Notebook.Parse(CheckIpynb(text, path), NotebookKernel.KernelInfos());
        }
        catch (JsonException e)
        {
            throw new LeakLabException(LeakLabErrorKind.TruncatedOrCorrupt, $"{path} is not valid notebook JSON ({FirstLine(e.Message)}); open and save it in Jupyter or VS Code");
        }

        // A run starts clean: outputs saved in the file are not this run's.
        foreach (var cell in document.Elements)
        {
            cell.Outputs.Clear();
            cell.ExecutionOrder = 0;
        }
        return document;
    }

    /// <summary>Writes the executed notebook; a .dib source gets the .NET (C#) kernelspec so Jupyter opens it.</summary>
    public static void SaveIpynb(InteractiveDocument document, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string json = document.Metadata.ContainsKey("kernelspec") ? document.ToJupyterJson() : document.ToJupyterJson("C#");
        PrivateFile.WriteAllText(path, json, new UTF8Encoding(false)); // outputs hold strings read from a process
    }

    // Notebook.Parse accepts anything that deserialises; check the nbformat 4 shape first so the error says what is wrong.
    private static string CheckIpynb(string text, string path)
    {
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{path} is not a notebook: its JSON is not an object");
        if (root.TryGetProperty("nbformat", out var format) && format.ValueKind == JsonValueKind.Number && format.GetInt32() < 4)
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{path} uses nbformat {format.GetInt32()}; only nbformat 4 is supported (save it again in Jupyter)");
        if (!root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            throw new LeakLabException(LeakLabErrorKind.NotADump, $"{path} has no \"cells\" array; it is not an nbformat 4 notebook");
        return text;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
