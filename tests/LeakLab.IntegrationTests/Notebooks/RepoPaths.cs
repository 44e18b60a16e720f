using System.Runtime.CompilerServices;

namespace LeakLab.IntegrationTests.Notebooks;

internal static class RepoPaths
{
    /// <summary>The checkout root (the folder holding LeakLab.sln), found by walking up from the test output.</summary>
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    public static IEnumerable<object[]> AllNotebooks() =>
        Directory.EnumerateFiles(Notebooks)
            .Where(f => f.EndsWith(".ipynb", StringComparison.Ordinal) || f.EndsWith(".dib", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f) });

    // The source file's own path (compile time) also works when the build output lives outside the checkout (--artifacts-path).
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LeakLab.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("LeakLab.sln not found above the test output; run the tests from the repository.");
    }
}
