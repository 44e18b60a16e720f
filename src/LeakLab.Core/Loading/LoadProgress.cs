namespace LeakLab.Core.Loading;

/// <summary>
/// Progress of a dump load: <paramref name="Phase"/> is "open", "objects", "roots" or "references" (nodes and their references)
/// (statistics walks report "types"); <paramref name="Done"/> of <paramref name="Total"/> is in the phase's unit
/// (heap bytes for the walks).
/// </summary>
public sealed record LoadProgress(string Phase, long Done, long Total);
