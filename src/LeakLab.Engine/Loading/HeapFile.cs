namespace LeakLab.Engine.Loading;

/// <summary>An input file that passed <see cref="HeapFiles.Check"/>: its absolute path, and whether it is a LeakLab snapshot (.llhg) rather than a dump.</summary>
public readonly record struct HeapFile(string Path, bool IsSnapshot)
{
    /// <summary>The source that reads this file: a <see cref="SnapshotFileSource"/> or a <see cref="DumpSource"/> with <paramref name="options"/>.</summary>
    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.MissingDac"/>: the options name a DAC file that does not exist (dumps only).</exception>
    public IHeapSource Open(DumpLoadOptions? options = null)
    {
        if (IsSnapshot)
            return new SnapshotFileSource(Path);
        HeapFiles.RequireDac(options?.DacPath);
        return new DumpSource(Path, options);
    }
}
