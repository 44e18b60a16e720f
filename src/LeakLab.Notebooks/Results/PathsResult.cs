namespace LeakLab;

/// <summary>Shortest retention paths of one snapshot, grouped by shape, most common first.</summary>
public sealed class PathsResult : ResultList<RetentionPath>
{
    internal PathsResult(string snapshot, string target, IEnumerable<RetentionPath> rows) : base(rows)
    {
        Snapshot = snapshot;
        Target = target;
    }

    public string Snapshot { get; }
    /// <summary>What the paths lead to: "type Foo" or "object 0x…".</summary>
    public string Target { get; }

    public override string ToHtml() => Render.PathsHtml(this);
    public override string ToText() => Render.PathsText(this);
}
