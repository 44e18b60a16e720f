namespace LeakLab.Cli;

/// <summary>An input file that passed <see cref="DumpFiles.Check"/>: its absolute path, and whether it is a LeakLab snapshot (.llhg) rather than a dump.</summary>
internal readonly record struct HeapFile(string Path, bool IsSnapshot);
