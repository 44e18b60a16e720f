using System.Security.Cryptography;
using System.Text;

namespace LeakLab.Core.Graph.Index;

/// <summary>
/// Where a dump's index lives: beside the dump (<c>core.1234</c> → <c>core.1234.llidx</c>), or, when that folder is
/// read-only, in the user's cache folder (<c>$XDG_CACHE_HOME/leaklab</c>, else <c>~/.cache/leaklab</c>), named by
/// the dump's file name and a hash of its full path so two dumps of one name in different folders do not collide.
/// </summary>
internal static class IndexLocation
{
    public const string Extension = ".llidx";

    /// <summary>The places to look, beside the dump first; the cache one only when a cache folder is known.</summary>
    public static IReadOnlyList<string> Candidates(string dumpPath)
    {
        var places = new List<string> { dumpPath + Extension };
        if (CacheFolder() is { } cache)
            places.Add(Path.Combine(cache, CacheName(dumpPath)));
        return places;
    }

    /// <summary>The cache folder LeakLab uses, or null when neither XDG_CACHE_HOME nor HOME is set.</summary>
    public static string? CacheFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, "leaklab");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "leaklab");
    }

    private static string CacheName(string dumpPath)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(dumpPath));
        return $"{Path.GetFileName(dumpPath)}-{Convert.ToHexStringLower(hash, 0, 8)}{Extension}";
    }
}
