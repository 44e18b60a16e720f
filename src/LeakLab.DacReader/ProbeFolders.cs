using System.Runtime.Loader;

namespace LeakLab.DacReader;

/// <summary>
/// Finds the assemblies this reader needs (ClrMD, LeakLab.Core ...) in the folders its parent loaded them from: in a
/// notebook kernel each package sits in its own NuGet folder, so the reader's own folder holds only LeakLab's dlls.
/// </summary>
internal static class ProbeFolders
{
    /// <summary>The environment variable with the folders, separated by <see cref="Path.PathSeparator"/>.</summary>
    public const string Variable = "LEAKLAB_DACREADER_PROBE";

    public static void Install(string? folders)
    {
        string[] list = (folders ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (string folder in list)
            {
                string candidate = Path.Combine(folder, name.Name + ".dll");
                if (File.Exists(candidate))
                    return context.LoadFromAssemblyPath(candidate);
            }
            return null;
        };
    }
}
