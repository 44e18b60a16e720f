namespace LeakLab.Dumps;

/// <summary>How <see cref="DumpLoader"/> opens and reads a dump.</summary>
public sealed record DumpLoadOptions
{
    /// <summary>
    /// The runtime's DAC (libmscordaccore.so) to use instead of the one next to the dump's libcoreclr.so; for dumps
    /// from another machine or a private runtime. Loaded even if its version does not match exactly.
    /// </summary>
    public string? DacPath { get; init; }

    /// <summary>Receives the phase and progress of long work (walking the heap, reading references).</summary>
    public IProgress<LoadProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// .NET installation roots searched for a matching DAC when the dump's own is missing; null means the usual
    /// places (DOTNET_ROOT, /usr/share/dotnet, /usr/lib/dotnet, ~/.dotnet, the running runtime's). Tests narrow it.
    /// </summary>
    internal IReadOnlyList<string>? RuntimeSearchRoots { get; init; }
}
