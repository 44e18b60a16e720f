namespace LeakLab.Cli.Commands;

/// <summary>Finds a peer diagnostics tool (dotnet-dump, dotnet-gcdump) used as a benchmark baseline.</summary>
internal static class PeerTool
{
    /// <summary>
    /// The given path, else .tools/NAME under the current folder or a parent (scripts/install-test-deps.sh), else PATH,
    /// else ~/.dotnet/tools (where `dotnet tool install -g` puts it, often not on PATH).
    /// </summary>
    /// <param name="option">The option that passes the path ("--gcdump"), named in the error.</param>
    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.FileMissing"/>: not found; the message says how to install it.</exception>
    public static string Find(string name, string? given, string option)
    {
        if (given is not null)
            return File.Exists(given) ? Path.GetFullPath(given) : throw new LeakLabException(LeakLabErrorKind.FileMissing, $"{name} not found at '{given}'; give the path of the {name} executable");
        for (string? dir = Environment.CurrentDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, ".tools", name);
            if (File.Exists(candidate))
                return candidate;
        }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        string global = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name);
        if (File.Exists(global))
            return global;
        throw new LeakLabException(LeakLabErrorKind.FileMissing,
            $"{name} is needed as the baseline and is not in .tools/ (here or in a parent folder), on PATH or in ~/.dotnet/tools; "
            + $"install it (`dotnet tool install {name} --tool-path .tools`, or scripts/install-test-deps.sh) or pass its path with {option} PATH");
    }
}
