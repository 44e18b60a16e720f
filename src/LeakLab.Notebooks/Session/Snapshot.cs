namespace LeakLab.Notebooks.Session;

/// <summary>A named heap snapshot in a session, loaded once; its analyses are computed on first use and kept.</summary>
public sealed class Snapshot
{
    internal Snapshot(string name, HeapAnalysis analysis, TimeSpan loadTime)
    {
        Name = name;
        Analysis = analysis;
        LoadTime = loadTime;
    }

    public string Name { get; }
    public HeapAnalysis Analysis { get; }
    public HeapGraph Graph => Analysis.Graph;
    public SnapshotInfo Info => Analysis.Graph.Info;
    public TimeSpan LoadTime { get; }

    public override string ToString() => $"{Name}: {Graph}";
}
