using System.Text.RegularExpressions;
using LeakLab.IntegrationTests.Notebooks;

namespace LeakLab.Tests.Api;

/// <summary>
/// The namespace rule of DEVELOPERS.md: a file's namespace is its project's name followed by its folders inside the
/// project (src/LeakLab.Core/Graph/Index/GraphIndex.cs → LeakLab.Core.Graph.Index), for every library and the kernel extension.
/// </summary>
public partial class NamespaceRuleTests
{
    [Fact]
    public void Every_namespace_follows_its_folder()
    {
        var wrong = new List<string>();
        int files = 0;
        foreach (string top in new[] { "src", "kernels-ext" })
        {
            foreach (string project in Directory.EnumerateDirectories(Path.Combine(RepoPaths.Root, top)))
            {
                foreach (string file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
                {
                    string relative = Path.GetRelativePath(project, Path.GetDirectoryName(file)!);
                    if (relative.Split(Path.DirectorySeparatorChar)[0] is "obj" or "bin" or "js")
                        continue;
                    Match declared = NamespaceLine().Match(File.ReadAllText(file));
                    if (!declared.Success)
                        continue; // Program.cs (top-level statements), GlobalUsings.cs
                    files++;
                    string expected = Path.GetFileName(project) + (relative == "." ? "" : "." + relative.Replace(Path.DirectorySeparatorChar, '.'));
                    if (declared.Groups[1].Value != expected)
                        wrong.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: namespace {declared.Groups[1].Value}; should be {expected}");
                }
            }
        }
        Assert.True(files > 200, $"only {files} files found under src/ and kernels-ext/");
        Assert.True(wrong.Count == 0, "namespaces that do not follow their folder:\n" + string.Join('\n', wrong));
    }

    [GeneratedRegex(@"^namespace ([\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
