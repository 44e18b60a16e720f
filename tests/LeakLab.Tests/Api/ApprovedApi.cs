using System.Reflection;
using LeakLab.IntegrationTests.Notebooks;
using PublicApiGenerator;

namespace LeakLab.Tests.Api;

/// <summary>
/// Compares an assembly's public API (PublicApiGenerator's C#-like listing) with its committed
/// <c>tests/LeakLab.Tests/Api/NAME.approved.txt</c>. On a difference it writes <c>NAME.received.txt</c> beside it and fails with
/// the lines that differ and the command that accepts the change, so the public surface never changes by accident.
/// </summary>
internal static class ApprovedApi
{
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "LeakLab.Tests", "Api");

    public static void Verify(Assembly assembly)
    {
        string name = assembly.GetName().Name!;
        // Assembly attributes carry InternalsVisibleTo lists and build metadata: not API.
        string received = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        string approvedPath = Path.Combine(Folder, name + ".approved.txt");
        string receivedPath = Path.Combine(Folder, name + ".received.txt");
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, received);
        string[] was = approved.Split('\n'), now = received.Split('\n');
        var lines = was.Except(now).Select(l => "- " + l.Trim()).Concat(now.Except(was).Select(l => "+ " + l.Trim())).Take(30);
        string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path);
        Assert.Fail($"The public API of {name} is not the approved one{(approved.Length == 0 ? " (no approved file yet)" : "")}:\n"
            + string.Join('\n', lines) + "\n"
            + $"If the change is intended, accept it and commit the file: cp {Relative(receivedPath)} {Relative(approvedPath)}");
    }
}
