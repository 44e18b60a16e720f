using System.Diagnostics;
using LeakLab.IntegrationTests.Cli;
using LeakLab.IntegrationTests.Notebooks;

namespace LeakLab.IntegrationTests.Correctness;

/// <summary>
/// The peer tools used as oracles (dotnet-dump, dotnet-gcdump 10.0.750501), installed into the repository's .tools/
/// folder by scripts/install-test-deps.sh. A missing tool fails the test with that instruction, never skips it.
/// </summary>
internal static class PeerTool
{
    public static string PathOf(string tool)
    {
        string path = Path.Combine(RepoPaths.Root, ".tools", tool);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{tool} is missing from {Path.GetDirectoryName(path)}; run scripts/install-test-deps.sh");
        return path;
    }

    /// <summary>Runs the tool and returns its stdout; throws with stderr when it fails or takes longer than the timeout.</summary>
    public static async Task<string> RunAsync(string tool, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(PathOf(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        string what = $"{tool} {string.Join(' ', args)}";
        CliResult result = await CliRun.RunAsync(psi, timeout, what);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited with {result.ExitCode}: {result.Stderr}\n{result.Stdout}");
        return result.Stdout;
    }
}
