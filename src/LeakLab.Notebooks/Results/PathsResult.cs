namespace LeakLab.Notebooks.Results;

/// <summary>Shortest retention paths of one snapshot, grouped by shape, most common first.</summary>
public sealed class PathsResult : ResultList<RetentionPath>
{
    internal PathsResult(string snapshot, string target, IEnumerable<RetentionPath> rows, TypeSelection? types = null) : base(rows)
    {
        Snapshot = snapshot;
        Target = target;
        Types = types;
    }

    public string Snapshot { get; }
    /// <summary>What the paths lead to: "type Foo" or "object 0x…".</summary>
    public string Target { get; }
    /// <summary>For a type pattern: the types it selected, with objects each (several when it is part of several names); else null.</summary>
    public TypeSelection? Types { get; }

    public override string ToHtml() => Render.PathsHtml(this, Types);
    public override string ToText() => Render.PathsText(this, Types);

    /// <summary>"paths": snapshot, root_kind, root, path (the steps, root first), count, example_address.</summary>
    public override IReadOnlyList<NamedDataFrame> ToDataFrames() =>
    [
        new("paths", Frames.Of(
            Frames.Text("snapshot", this.Select(_ => Snapshot)),
            Frames.Text("root_kind", this.Select(p => p.RootKind.ToString())),
            Frames.Text("root", this.Select(p => p.RootName)),
            Frames.Text("path", this.Select(p => p.Shape)),
            Frames.Long("count", this.Select(p => (long)p.Count)),
            Frames.Text("example_address", this.Select(p => Frames.Hex(p.ExampleAddress))))),
    ];
}
