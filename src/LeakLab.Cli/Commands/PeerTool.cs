namespace LeakLab.Cli.Commands;

/// <summary>Finds a peer diagnostics tool (dotnet-dump, dotnet-gcdump) used as a benchmark baseline.</summary>
internal static class PeerTool
{
    /// <summary>The given path, else .tools/NAME under the current folder or a parent (scripts/install-test-deps.sh), else PATH.</summary>
    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.FileMissing"/>: not found; the message says how to install it.</exception>
    public static string Find(string name, string? given)
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
        throw new LeakLabException(LeakLabErrorKind.FileMissing, $"{name} is needed as the baseline; install it (`dotnet tool install {name} --tool-path .tools`, or scripts/install-test-deps.sh) or pass its path");
    }
}
