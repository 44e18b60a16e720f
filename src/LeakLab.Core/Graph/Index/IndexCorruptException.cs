namespace LeakLab.Core.Graph.Index;

/// <summary>An index file that cannot be used (cut short, bad checksum, wrong format); the caller rebuilds it.</summary>
internal sealed class IndexCorruptException(string reason) : Exception(reason);
