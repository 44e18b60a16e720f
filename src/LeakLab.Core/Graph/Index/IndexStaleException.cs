namespace LeakLab.Core.Graph.Index;

/// <summary>An intact index that does not belong to the dump as it is now (rewritten dump, other format version).</summary>
internal sealed class IndexStaleException(string reason) : Exception(reason);
