using System.Text.Json.Nodes;

namespace LeakLab.Runner;

/// <summary>One Jupyter output of a cell (nbformat 4): display data, a result, a text stream, or an error.</summary>
internal abstract record CellOutput
{
    public abstract JsonObject ToJson();
}

/// <summary>display_data or execute_result: one value in several MIME types.</summary>
internal sealed record DataOutput(IReadOnlyDictionary<string, string> Data, int? ExecutionCount) : CellOutput
{
    public bool IsResult => ExecutionCount is not null;

    public override JsonObject ToJson()
    {
        var data = new JsonObject();
        foreach (var (mime, text) in Data)
            data[mime] = text;
        var json = new JsonObject { ["output_type"] = IsResult ? "execute_result" : "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
        if (IsResult)
            json["execution_count"] = ExecutionCount;
        return json;
    }
}

internal sealed record StreamOutput(string Name, string Text) : CellOutput
{
    public override JsonObject ToJson() => new() { ["output_type"] = "stream", ["name"] = Name, ["text"] = Text };
}

internal sealed record ErrorOutput(string Name, string Message, IReadOnlyList<string> Traceback) : CellOutput
{
    public override JsonObject ToJson() => new()
    {
        ["output_type"] = "error",
        ["ename"] = Name,
        ["evalue"] = Message,
        ["traceback"] = new JsonArray([.. Traceback.Select(t => (JsonNode?)JsonValue.Create(t))]),
    };
}
