namespace LeakLab.Notebooks.Results;

/// <summary>What <c>load</c> and <c>dump</c> report: the snapshot now in the session, its size and load time.</summary>
public sealed class SnapshotResult : LeakLabResult
{
    internal SnapshotResult(Snapshot snapshot, string? dumpedFrom = null)
    {
        Snapshot = snapshot;
        DumpedFrom = dumpedFrom;
    }

    public Snapshot Snapshot { get; }
    /// <summary>"pid 1234" when the snapshot was just dumped from a process.</summary>
    public string? DumpedFrom { get; }

    private string Line()
    {
        var g = Snapshot.Graph;
        string origin = DumpedFrom is null ? "" : $"dumped from {DumpedFrom}, ";
        return $"snapshot '{Snapshot.Name}': {g.NodeCount:N0} objects, {g.EdgeCount:N0} references, {g.TypeCount:N0} types, " +
               $"{g.Roots.Count:N0} roots ({origin}loaded in {Snapshot.LoadTime.TotalSeconds:0.0} s) from {Snapshot.Info.Path ?? Snapshot.Info.SourceKind}";
    }

    /// <summary>"warning: the heap is damaged and was read in part: …" when the load was not clean, else null.</summary>
    private string? Warning() => LoadReport.Of(Snapshot.Graph).Warning is { } warning ? $"warning: {warning}" : null;

    public override string ToHtml() => Render.MessageHtml(Line(), Warning());
    public override string ToText() => Line() + "\n" + (Warning() is { } warning ? warning + "\n" : "");
}
